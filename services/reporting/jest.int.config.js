// Integration tests: the built ledger and reporting services as processes (startPlatform), a
// fresh Postgres database per file and the run's Kafka (npm test sets DATABASE_URL and
// KAFKA_BROKERS). Build first: npx nx run-many -t build -p ledger reporting.
module.exports = {
  ...require('../../jest.preset.js'),
  displayName: 'reporting:int',
  rootDir: __dirname,
  testMatch: ['<rootDir>/test/**/*.int-spec.ts'],
  testTimeout: 120_000,
};
