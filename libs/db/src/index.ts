export {
  databaseUrl,
  dropDatabase,
  ensureDatabase,
  provisionServiceRoles,
  type ProvisionedRole,
  type ServiceDatabaseRole,
} from './provision';
export { migrateUp, serviceOrmConfig, type ServiceOrmOptions } from './orm-config';
export {
  localServiceRole,
  SERVICE_NAMES,
  SERVICE_SCHEMAS,
  type ServiceName,
} from './service-schemas';
export {
  afterPosition,
  decodePageToken,
  encodePageToken,
  pageSize,
  toPage,
  type KeysetPosition,
  type KeysetProperties,
} from './keyset-page';
