import 'reflect-metadata';
import { ormOptions, runService } from '@kontor/service-kit';
import { AppModule } from './app.module';
import { IMPORT_MIGRATIONS } from './database/migrations';
import { importEnvSchema } from './import.config';

void runService({
  service: 'import',
  envSchema: importEnvSchema,
  appModule: (env) => AppModule.forRoot(env),
  ormOptions: (databaseUrl) =>
    ormOptions({ service: 'import', databaseUrl, entities: [], migrations: IMPORT_MIGRATIONS }),
  grpc: { services: [], errors: { domain: 'import.kontor' } },
});
