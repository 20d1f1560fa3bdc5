import 'reflect-metadata';
import { ormOptions, runService } from '@kontor/service-kit';
import { AppModule } from './app.module';
import { IMPORT_MIGRATIONS } from './database/migrations';
import { importEnvSchema } from './import.config';
import { IMPORT_CHANNEL_OPTIONS, IMPORT_ERRORS, IMPORT_SERVICES } from './imports.module';

void runService({
  service: 'import',
  envSchema: importEnvSchema,
  appModule: (env) => AppModule.forRoot(env),
  ormOptions: (databaseUrl) =>
    ormOptions({ service: 'import', databaseUrl, entities: [], migrations: IMPORT_MIGRATIONS }),
  grpc: {
    services: IMPORT_SERVICES,
    errors: { domain: 'import.kontor', mappings: IMPORT_ERRORS },
    channelOptions: IMPORT_CHANNEL_OPTIONS,
  },
});
