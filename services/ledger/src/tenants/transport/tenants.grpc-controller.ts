import { Controller } from '@nestjs/common';
import { timestampFromDate } from '@bufbuild/protobuf/wkt';
import {
  TenantService,
  type CreateTenantRequest,
  type GetTenantRequest,
  type IssueApiKeyRequest,
  type ListApiKeysRequest,
  type ListTenantsRequest,
  type RevokeApiKeyRequest,
} from '@kontor/contracts/ledger/v1/tenant_service_pb';
import { pageSize } from '@kontor/db';
import { requireUuid } from '@kontor/errors';
import { GrpcMethod, type AdminCallContext } from '@kontor/grpc';
import { TenantsService } from '../tenants.service';
import { toApiKeyMessage, toTenantMessage } from './tenant.proto-mapper';

// Platform administration: only the admin credential gets through (declared per rpc).
@Controller()
export class TenantsGrpcController {
  constructor(private readonly tenants: TenantsService) {}

  @GrpcMethod(TenantService, 'createTenant', { access: 'admin' })
  async createTenant(request: CreateTenantRequest, _ctx: AdminCallContext) {
    const tenant = await this.tenants.create(request);

    return { tenant: toTenantMessage(tenant) };
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

  @GrpcMethod(TenantService, 'listTenants', { access: 'admin' })
  async listTenants(request: ListTenantsRequest, _ctx: AdminCallContext) {
    const size = pageSize(request.pageSize);
    const page = await this.tenants.list(size, request.pageToken);

    return { tenants: page.rows.map(toTenantMessage), nextPageToken: page.nextPageToken };
  }

  @GrpcMethod(TenantService, 'getTenant', { access: 'admin' })
  async getTenant(request: GetTenantRequest, _ctx: AdminCallContext) {
    const tenantId = requireUuid('tenant_id', request.tenantId);

    return { tenant: toTenantMessage(await this.tenants.get(tenantId)) };
  }

  @GrpcMethod(TenantService, 'listApiKeys', { access: 'admin' })
  async listApiKeys(request: ListApiKeysRequest, _ctx: AdminCallContext) {
    const tenantId = requireUuid('tenant_id', request.tenantId);
    const size = pageSize(request.pageSize);
    const page = await this.tenants.listApiKeys(tenantId, size, request.pageToken);

    return { apiKeys: page.rows.map(toApiKeyMessage), nextPageToken: page.nextPageToken };
  }
}
