import { Module } from '@nestjs/common';
import { type LedgerFeature } from '../ledger-feature';

// Being built (issue 3): serves no rpc yet.
@Module({})
export class AccountsModule {}

export const ACCOUNTS_FEATURE: LedgerFeature = {
  module: AccountsModule,
  services: [],
  errors: [],
  entities: [],
};
