// Integration tests: real Postgres (a fresh database per file) and a real Kafka broker
// (KAFKA_BROKERS, set by npm test or by `node tools/infra/kafka.mjs start`).
module.exports = {
  ...require('../../jest.preset.js'),
  displayName: 'kafka:int',
  rootDir: __dirname,
  testMatch: ['<rootDir>/test/**/*.int-spec.ts'],
  testTimeout: 60_000,
};
