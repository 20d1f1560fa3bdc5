// Deploy checks: render every overlay with kubectl kustomize, validate what it renders against the
// Kubernetes and CRD schemas (unknown fields rejected), lint the Dockerfile, and hold the
// manifests to the services' own config schemas and the topic catalogue. No cluster, no network.
module.exports = {
  ...require('../jest.preset.js'),
  displayName: 'deploy',
  rootDir: __dirname,
  testMatch: ['<rootDir>/test/**/*.spec.ts'],
};
