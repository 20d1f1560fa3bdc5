import 'reflect-metadata';
import { ormOptions, runService } from '@kontor/service-kit';
import { AppModule } from './app.module';
import { DEALS_MIGRATIONS } from './database/migrations';
import { dealsEnvSchema } from './deals.config';

void runService({
  service: 'deals',
  envSchema: dealsEnvSchema,
  appModule: (env) => AppModule.forRoot(env),
  ormOptions: (databaseUrl) =>
    ormOptions({ service: 'deals', databaseUrl, entities: [], migrations: DEALS_MIGRATIONS }),
  grpc: { services: [], errors: { domain: 'deals.kontor' } },
});
