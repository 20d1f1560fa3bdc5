import 'reflect-metadata';
import { ReportingService } from '@kontor/contracts/reporting/v1/reporting_service_pb';
import { mapDomainErrors } from '@kontor/grpc';
import { ormOptions, runService } from '@kontor/service-kit';
import { AppModule } from './app.module';
import { REPORTING_ENTITIES } from './database/entities';
import { REPORTING_MIGRATIONS } from './database/migrations';
import { runRebuildCommand } from './rebuild/rebuild-command';
import { reportingEnvSchema } from './reporting.config';
import { ReportError } from './reports/domain/report.errors';
import { REPORT_ERROR_STATUS } from './reports/transport/report-error.status';

// `rebuild` is reporting's own command; `serve` and `migrate` are every service's.
if (process.argv[2] === 'rebuild') {
  // Exits once done: Kafka and pool sockets must not keep a finished command alive.
  void runRebuildCommand().then(() => process.exit());
} else {
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
    grpc: {
      services: [ReportingService],
      errors: {
        domain: 'reporting.kontor',
        mappings: [mapDomainErrors(ReportError, REPORT_ERROR_STATUS)],
      },
    },
  });
}
