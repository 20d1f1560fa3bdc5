import { Module } from '@nestjs/common';
import { type LedgerFeature } from '../ledger-feature';

// Being built (issue 3): serves no rpc yet.
@Module({})
export class BalancesModule {}

export const BALANCES_FEATURE: LedgerFeature = {
  module: BalancesModule,
  services: [],
  errors: [],
  entities: [],
};
