import { Module } from '@nestjs/common';
import { ImportService } from '@kontor/contracts/imports/v1/import_service_pb';
import { mapDomainErrors } from '@kontor/grpc';
import { type ImportEnv } from './import.config';
import { IMPORT_CHANNEL_OPTIONS } from './jobs/upload-limits';
import { FileRetention } from './jobs/file-retention';
import { JobPasses } from './jobs/job-passes';
import { JobRunner } from './jobs/job-runner';
import { JobsService } from './jobs/jobs.service';
import { ImportsGrpcController } from './jobs/transport/imports.grpc-controller';
import { IMPORT_ENV_LEDGER, LedgerGateway } from './ledger-client/ledger-gateway';
import { ImportError } from './profiles/domain/import.errors';
import { ProfilesService } from './profiles/profiles.service';
import { IMPORT_ERROR_STATUS } from './profiles/transport/import-error.status';

export const IMPORT_SERVICES = [ImportService];
export { IMPORT_CHANNEL_OPTIONS };

export const IMPORT_ERRORS = [mapDomainErrors(ImportError, IMPORT_ERROR_STATUS)];

/** Profiles, jobs, the background runner and the ledger client. */
@Module({})
export class ImportsModule {
  static forRoot(env: ImportEnv) {
    return {
      module: ImportsModule,
      controllers: [ImportsGrpcController],
      providers: [
        {
          provide: IMPORT_ENV_LEDGER,
          useValue: { address: env.LEDGER_GRPC_ADDRESS, token: env.INTERNAL_SERVICE_TOKEN },
        },
        LedgerGateway,
        ProfilesService,
        JobPasses,
        FileRetention,
        JobRunner,
        JobsService,
      ],
    };
  }
}
