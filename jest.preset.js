// Shared jest settings: swc transpiles TypeScript (with decorator metadata for Nest and
// MikroORM), and workspace aliases resolve to library sources so tests never need a build.
const path = require('node:path');
const swcOptions = require('./.swcrc.base.json');

const root = __dirname;

module.exports = {
  testEnvironment: 'node',
  transform: {
    '^.+\\.ts$': ['@swc/jest', { ...swcOptions, $comment: undefined, swcrc: false }],
  },
  moduleFileExtensions: ['ts', 'js', 'json'],
  moduleNameMapper: {
    '^@kontor/contracts/(.*)$': path.join(root, 'libs/contracts/src/gen/kontor/$1'),
    '^@kontor/grpc/client$': path.join(root, 'libs/grpc/src/client.ts'),
    '^@kontor/([^/]+)$': path.join(root, 'libs/$1/src/index.ts'),
  },
  clearMocks: true,
};
