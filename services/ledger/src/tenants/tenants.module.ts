import { Module } from '@nestjs/common';
import { TenantService } from '@kontor/contracts/ledger/v1/tenant_service_pb';
import { mapDomainErrors } from '@kontor/grpc';
import { type LedgerFeature } from '../ledger-feature';
import { TenantError } from './domain/tenant.errors';
import { ApiKeyEntity } from './persistence/api-key.entity';
import { TenantEntity } from './persistence/tenant.entity';
import { TenantsService } from './tenants.service';
import { TENANT_ERROR_STATUS } from './transport/tenant-error.status';
import { TenantsGrpcController } from './transport/tenants.grpc-controller';

@Module({
  controllers: [TenantsGrpcController],
  providers: [TenantsService],
  exports: [TenantsService],
})
export class TenantsModule {}

export const TENANTS_FEATURE: LedgerFeature = {
  module: TenantsModule,
  services: [TenantService],
  errors: [mapDomainErrors(TenantError, TENANT_ERROR_STATUS)],
  entities: [TenantEntity, ApiKeyEntity],
};
