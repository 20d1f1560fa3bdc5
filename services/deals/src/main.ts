import 'reflect-metadata';
import { DealService } from '@kontor/contracts/deals/v1/deal_service_pb';
import { ormOptions, runService } from '@kontor/service-kit';
import { AppModule } from './app.module';
import { DEALS_MIGRATIONS } from './database/migrations';
import { dealsEnvSchema } from './deals.config';
import { DEALS_ERROR_MAPPINGS } from './deals.errors';

void runService({
  service: 'deals',
  envSchema: dealsEnvSchema,
  appModule: (env) => AppModule.forRoot(env),
  ormOptions: (databaseUrl) =>
    ormOptions({ service: 'deals', databaseUrl, entities: [], migrations: DEALS_MIGRATIONS }),
  grpc: {
    services: [DealService],
    errors: { domain: 'deals.kontor', mappings: DEALS_ERROR_MAPPINGS },
  },
});
