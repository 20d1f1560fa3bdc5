import { Module } from '@nestjs/common';
import { OrganizationService } from '@kontor/contracts/ledger/v1/organization_service_pb';
import { mapDomainErrors } from '@kontor/grpc';
import { type LedgerFeature } from '../ledger-feature';
import { OrganizationError } from './domain/organization.errors';
import { OrganizationsService } from './organizations.service';
import { OrganizationEntity } from './persistence/organization.entity';
import { ORGANIZATION_ERROR_STATUS } from './transport/organization-error.status';
import { OrganizationsGrpcController } from './transport/organizations.grpc-controller';

@Module({
  controllers: [OrganizationsGrpcController],
  providers: [OrganizationsService],
  exports: [OrganizationsService],
})
export class OrganizationsModule {}

export const ORGANIZATIONS_FEATURE: LedgerFeature = {
  module: OrganizationsModule,
  services: [OrganizationService],
  errors: [mapDomainErrors(OrganizationError, ORGANIZATION_ERROR_STATUS)],
  entities: [OrganizationEntity],
};
