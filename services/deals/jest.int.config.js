// Integration tests: the deals service in-process and the built ledger spawned, over real gRPC,
// on a fresh Postgres database and the run's Kafka (npm test sets DATABASE_URL and KAFKA_BROKERS).
module.exports = {
  ...require('../../jest.preset.js'),
  displayName: 'deals:int',
  rootDir: __dirname,
  testMatch: ['<rootDir>/test/**/*.int-spec.ts'],
  testTimeout: 120_000,
  // Each file spawns a ledger and runs deals in-process: one file at a time on a small machine.
  maxWorkers: 1,
};
