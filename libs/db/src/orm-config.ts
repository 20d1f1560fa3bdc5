import { type MigrationObject } from '@mikro-orm/core';
import { Migrator } from '@mikro-orm/migrations';
import { defineConfig, type MikroORM, type Options } from '@mikro-orm/postgresql';

export interface ServiceOrmOptions {
  /** The Postgres schema the service owns; tables and the migrations table live there. */
  schema: string;
  /** The service's own role URL (see provisionServiceRoles). */
  databaseUrl: string;
  entities: NonNullable<Options['entities']>;
  /**
   * Migrations listed in code, oldest first, so the same list runs from TypeScript in tests and
   * from compiled JavaScript in production, with no file globbing.
   */
  migrations: MigrationObject[];
  poolMax?: number;
  debug?: boolean;
}

export function serviceOrmConfig(options: ServiceOrmOptions): Options {
  return defineConfig({
    clientUrl: options.databaseUrl,
    schema: options.schema,
    entities: options.entities,
    discovery: { warnWhenNoEntities: false },
    forceUtcTimezone: true,
    pool: { min: 0, max: options.poolMax ?? 10 },
    debug: options.debug ?? false,
    allowGlobalContext: false,
    extensions: [Migrator],
    migrations: {
      migrationsList: options.migrations,
      tableName: 'mikro_orm_migrations',
      transactional: true,
      allOrNothing: true,
      snapshot: false,
      silent: true,
    },
  });
}

/** Applies pending migrations; returns the names of those applied. */
export async function migrateUp(orm: MikroORM): Promise<string[]> {
  const applied = await orm.getMigrator().up();
  return applied.map((migration) => migration.name);
}
