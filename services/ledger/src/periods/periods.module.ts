import { Module } from '@nestjs/common';
import { type LedgerFeature } from '../ledger-feature';

// Being built (issue 3): serves no rpc yet.
@Module({})
export class PeriodsModule {}

export const PERIODS_FEATURE: LedgerFeature = {
  module: PeriodsModule,
  services: [],
  errors: [],
  entities: [],
};
