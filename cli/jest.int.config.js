// Integration tests: the real `kontor` binary (built) spawned against the real, built services on
// a fresh database, the run's Postgres and Kafka (npm test sets DATABASE_URL and KAFKA_BROKERS).
module.exports = {
  ...require('../jest.preset.js'),
  displayName: 'cli:int',
  rootDir: __dirname,
  testMatch: ['<rootDir>/test/**/*.int-spec.ts'],
  testTimeout: 90_000,
};
