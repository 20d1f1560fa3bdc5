import { Module } from '@nestjs/common';
import { type LedgerFeature } from '../ledger-feature';

// Being built (issue 3): serves no rpc yet.
@Module({})
export class EntriesModule {}

export const ENTRIES_FEATURE: LedgerFeature = {
  module: EntriesModule,
  services: [],
  errors: [],
  entities: [],
};
