import 'reflect-metadata';
import { ReportingService } from '@kontor/contracts/reporting/v1/reporting_service_pb';
import { ormOptions, runService } from '@kontor/service-kit';
import { AppModule } from './app.module';
import { REPORTING_ENTITIES } from './database/entities';
import { REPORTING_MIGRATIONS } from './database/migrations';
import { reportingEnvSchema } from './reporting.config';

void runService({
  service: 'reporting',
  envSchema: reportingEnvSchema,
  appModule: (env) => AppModule.forRoot(env),
  ormOptions: (databaseUrl) =>
    ormOptions({
      service: 'reporting',
      databaseUrl,
      entities: REPORTING_ENTITIES,
      migrations: REPORTING_MIGRATIONS,
    }),
  grpc: { services: [ReportingService], errors: { domain: 'reporting.kontor' } },
});
