// Integration tests: real Postgres (DATABASE_URL from npm test, else the local server).
module.exports = {
  ...require('../../jest.preset.js'),
  displayName: 'testing:int',
  rootDir: __dirname,
  testMatch: ['<rootDir>/test/**/*.int-spec.ts'],
  testTimeout: 30_000,
};
