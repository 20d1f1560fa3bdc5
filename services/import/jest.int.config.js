// Integration tests: the import service in-process, the real ledger spawned, served over real gRPC on a free port, on a fresh
// Postgres database and the run's Kafka (npm test sets DATABASE_URL and KAFKA_BROKERS).
module.exports = {
  ...require('../../jest.preset.js'),
  displayName: 'import:int',
  rootDir: __dirname,
  testMatch: ['<rootDir>/test/**/*.int-spec.ts'],
  testTimeout: 60_000,
};
