// Integration checks on the real Postgres of the run (npm test sets DATABASE_URL): the database
// provisioning the prod Job and the dev CloudNativePG cluster perform.
module.exports = {
  ...require('../jest.preset.js'),
  displayName: 'deploy:int',
  rootDir: __dirname,
  testMatch: ['<rootDir>/test/**/*.int-spec.ts'],
  testTimeout: 60_000,
};
