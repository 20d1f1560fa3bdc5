export { createTestDatabase, serverAdminUrl, type TestDatabase } from './test-database';
export { testKafkaBrokers } from './env';
