export { createTestDatabase, serverAdminUrl, type TestDatabase } from './test-database';
export { testKafkaBrokers } from './env';
export {
  builtServiceEntry,
  startPlatform,
  type PlatformOptions,
  type RunningPlatform,
} from './platform';
