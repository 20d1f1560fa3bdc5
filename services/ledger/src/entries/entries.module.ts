import { Module } from '@nestjs/common';
import { EntryService } from '@kontor/contracts/ledger/v1/entry_service_pb';
import { mapDomainErrors } from '@kontor/grpc';
import { type LedgerFeature } from '../ledger-feature';
import { EntryError } from './domain/entry.errors';
import { PostingService } from './posting.service';
import { ENTRY_ERROR_STATUS } from './transport/entry-error.status';
import { EntriesGrpcController } from './transport/entries.grpc-controller';

@Module({
  controllers: [EntriesGrpcController],
  providers: [PostingService],
  exports: [PostingService],
})
export class EntriesModule {}

export const ENTRIES_FEATURE: LedgerFeature = {
  module: EntriesModule,
  services: [EntryService],
  errors: [mapDomainErrors(EntryError, ENTRY_ERROR_STATUS)],
  entities: [],
};
