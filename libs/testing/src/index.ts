export { createTestDatabase, serverAdminUrl, type TestDatabase } from './test-database';
export { testKafkaBrokers } from './env';
export { eventually } from './eventually';
export {
  builtServiceEntry,
  startPlatform,
  type PlatformOptions,
  type RunningPlatform,
} from './platform';
export { waitForConsumersCaughtUp } from './consumers-caught-up';
