import 'reflect-metadata';
import { ormOptions, runService } from '@kontor/service-kit';
import { AppModule } from './app.module';
import { LEDGER_MIGRATIONS } from './database/migrations';
import { LEDGER_ENTITIES, LEDGER_FEATURES } from './features';
import { ledgerEnvSchema } from './ledger.config';

void runService({
  service: 'ledger',
  envSchema: ledgerEnvSchema,
  appModule: (env) => AppModule.forRoot(env),
  ormOptions: (databaseUrl) =>
    ormOptions({
      service: 'ledger',
      databaseUrl,
      entities: [...LEDGER_ENTITIES],
      migrations: LEDGER_MIGRATIONS,
    }),
  grpc: {
    services: LEDGER_FEATURES.flatMap((feature) => feature.services),
    errors: {
      domain: 'ledger.kontor',
      mappings: LEDGER_FEATURES.flatMap((feature) => feature.errors),
    },
    adminToken: (env) => env.PLATFORM_ADMIN_TOKEN,
    internalServiceToken: (env) => env.INTERNAL_SERVICE_TOKEN,
  },
});
