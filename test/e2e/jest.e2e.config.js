// Cross-service tests: the built services as real processes, real Postgres, real Kafka, real
// gRPC. Run through `npm test`, which starts the infrastructure and sets DATABASE_URL and
// KAFKA_BROKERS.
module.exports = {
  ...require('../../jest.preset.js'),
  displayName: 'e2e',
  rootDir: __dirname,
  testMatch: ['<rootDir>/src/**/*.e2e-spec.ts'],
  testTimeout: 90_000,
};
