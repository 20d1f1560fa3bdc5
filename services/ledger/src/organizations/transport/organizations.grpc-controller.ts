import { Controller } from '@nestjs/common';
import {
  OrganizationKind,
  OrganizationService,
  type CreateOrganizationRequest,
  type GetOrganizationRequest,
  type ListOrganizationsRequest,
  type SetPrimaryLedgerRequest,
} from '@kontor/contracts/ledger/v1/organization_service_pb';
import { pageSize } from '@kontor/db';
import { InvalidArgumentError, requireUuid } from '@kontor/errors';
import { GrpcMethod, type TenantCallContext } from '@kontor/grpc';
import { OrganizationsService } from '../organizations.service';
import { kindFromProto, toOrganizationMessage } from './organization.proto-mapper';

@Controller()
export class OrganizationsGrpcController {
  constructor(private readonly organizations: OrganizationsService) {}

  @GrpcMethod(OrganizationService, 'createOrganization')
  async createOrganization(request: CreateOrganizationRequest, ctx: TenantCallContext) {
    const organization = await this.organizations.create(ctx.caller.tenantId, {
      externalId: request.externalId,
      kind: kindFromProto(request.kind),
      name: request.name,
    });

    return { organization: toOrganizationMessage(organization) };
  }

  @GrpcMethod(OrganizationService, 'getOrganization')
  async getOrganization(request: GetOrganizationRequest, ctx: TenantCallContext) {
    const id = requireUuid('organization_id', request.organizationId);
    const organization = await this.organizations.get(ctx.caller.tenantId, id);

    return { organization: toOrganizationMessage(organization) };
  }

  @GrpcMethod(OrganizationService, 'listOrganizations')
  async listOrganizations(request: ListOrganizationsRequest, ctx: TenantCallContext) {
    const size = pageSize(request.pageSize);
    const kind = kindFromProto(request.kind);
    if (kind === undefined && request.kind !== OrganizationKind.UNSPECIFIED) {
      throw new InvalidArgumentError('kind', `unknown organization kind ${request.kind}`);
    }
    const page = await this.organizations.list(ctx.caller.tenantId, kind, size, request.pageToken);

    return {
      organizations: page.organizations.map(toOrganizationMessage),
      nextPageToken: page.nextPageToken,
    };
  }

  @GrpcMethod(OrganizationService, 'setPrimaryLedger')
  async setPrimaryLedger(request: SetPrimaryLedgerRequest, ctx: TenantCallContext) {
    const id = requireUuid('organization_id', request.organizationId);
    const ledgerId = request.ledgerId === '' ? null : requireUuid('ledger_id', request.ledgerId);
    const organization = await this.organizations.setPrimaryLedger(
      ctx.caller.tenantId,
      id,
      ledgerId,
    );

    return { organization: toOrganizationMessage(organization) };
  }
}
