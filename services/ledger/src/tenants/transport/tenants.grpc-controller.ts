import { Controller } from '@nestjs/common';
import { timestampFromDate } from '@bufbuild/protobuf/wkt';
import {
  TenantService,
  type CreateTenantRequest,
  type IssueApiKeyRequest,
  type RevokeApiKeyRequest,
} from '@kontor/contracts/ledger/v1/tenant_service_pb';
import { requireUuid } from '@kontor/errors';
import { GrpcMethod, type AdminCallContext } from '@kontor/grpc';
import { TenantsService } from '../tenants.service';

// Platform administration: only the admin credential gets through (declared per rpc).
@Controller()
export class TenantsGrpcController {
  constructor(private readonly tenants: TenantsService) {}

  @GrpcMethod(TenantService, 'createTenant', { access: 'admin' })
  async createTenant(request: CreateTenantRequest, _ctx: AdminCallContext) {
    const tenant = await this.tenants.create(request);

    return {
      tenant: {
        id: tenant.id,
        slug: tenant.slug,
        name: tenant.name,
        createTime: timestampFromDate(tenant.createdAt),
      },
    };
  }

  @GrpcMethod(TenantService, 'issueApiKey', { access: 'admin' })
  async issueApiKey(request: IssueApiKeyRequest, _ctx: AdminCallContext) {
    const tenantId = requireUuid('tenant_id', request.tenantId);

    return this.tenants.issueApiKey(tenantId, request.label);
  }

  @GrpcMethod(TenantService, 'revokeApiKey', { access: 'admin' })
  async revokeApiKey(request: RevokeApiKeyRequest, _ctx: AdminCallContext) {
    const tenantId = requireUuid('tenant_id', request.tenantId);
    const revokedAt = await this.tenants.revokeApiKey(tenantId, request.keyId);

    return { revokeTime: timestampFromDate(revokedAt) };
  }
}
