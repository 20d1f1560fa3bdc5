import { Module } from '@nestjs/common';
import { type LedgerFeature } from '../ledger-feature';

// Being built (issue 3): serves no rpc yet.
@Module({})
export class OrganizationsModule {}

export const ORGANIZATIONS_FEATURE: LedgerFeature = {
  module: OrganizationsModule,
  services: [],
  errors: [],
  entities: [],
};
