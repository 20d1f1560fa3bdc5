// Unit tests: *.spec.ts next to the code they prove; no network, no database.
module.exports = {
  ...require('../../jest.preset.js'),
  displayName: 'reporting',
  rootDir: __dirname,
  testMatch: ['<rootDir>/src/**/*.spec.ts'],
};
