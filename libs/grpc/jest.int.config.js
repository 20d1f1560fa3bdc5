// Integration tests: a real Nest app and real grpc-js over 127.0.0.1 ephemeral ports.
module.exports = {
  ...require('../../jest.preset.js'),
  displayName: 'grpc-int',
  rootDir: __dirname,
  testMatch: ['<rootDir>/test/**/*.int-spec.ts'],
  testTimeout: 20_000,
};
