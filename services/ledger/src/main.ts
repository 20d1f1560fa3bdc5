import 'reflect-metadata';
import { LedgerService } from '@kontor/contracts/ledger/v1/ledger_service_pb';
import { TenantService } from '@kontor/contracts/ledger/v1/tenant_service_pb';
import { mapDomainErrors } from '@kontor/grpc';
import { ormOptions, runService } from '@kontor/service-kit';
import { AppModule } from './app.module';
import { LEDGER_ENTITIES } from './database/entities';
import { LEDGER_MIGRATIONS } from './database/migrations';
import { ledgerEnvSchema } from './ledger.config';
import { LedgerError } from './ledgers/domain/ledger.errors';
import { LEDGER_ERROR_STATUS } from './ledgers/transport/ledger-error.status';
import { TenantError } from './tenants/domain/tenant.errors';
import { TENANT_ERROR_STATUS } from './tenants/transport/tenant-error.status';

void runService({
  service: 'ledger',
  envSchema: ledgerEnvSchema,
  appModule: (env) => AppModule.forRoot(env),
  ormOptions: (databaseUrl) =>
    ormOptions({
      service: 'ledger',
      databaseUrl,
      entities: LEDGER_ENTITIES,
      migrations: LEDGER_MIGRATIONS,
    }),
  grpc: {
    services: [LedgerService, TenantService],
    errors: {
      domain: 'ledger.kontor',
      mappings: [
        mapDomainErrors(LedgerError, LEDGER_ERROR_STATUS),
        mapDomainErrors(TenantError, TENANT_ERROR_STATUS),
      ],
    },
    adminToken: (env) => env.PLATFORM_ADMIN_TOKEN,
  },
});
