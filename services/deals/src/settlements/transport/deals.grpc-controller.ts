import { createHash } from 'node:crypto';
import { Controller } from '@nestjs/common';
import { type DescMessage, type MessageShape, toJsonString } from '@bufbuild/protobuf';
import {
  AmendDealRequestSchema,
  CreateDealRequestSchema,
  DealService,
  type AmendDealRequest,
  type CreateDealRequest,
  type FinalizeSettlementRequest,
  type GetDealRequest,
  type GetProfitSharingReportRequest,
  type GetSettlementStatementRequest,
  type ListDealsRequest,
  type PreviewSettlementRequest,
} from '@kontor/contracts/deals/v1/deal_service_pb';
import { TransactionType } from '@kontor/contracts/ledger/v1/entry_service_pb';
import { pageSize } from '@kontor/db';
import { InvalidArgumentError, requireUuid } from '@kontor/errors';
import { GrpcMethod, type TenantCallContext } from '@kontor/grpc';
import { invalidDeal } from '../domain/deal.errors';
import { DealsService } from '../deals.service';
import { ProfitSharingService } from '../profit-sharing.service';
import { SettlementsService } from '../settlements.service';
import {
  dealToProto,
  frequencyFromProto,
  moneyMessage,
  roleToProto,
  settlementToProto,
  termsFromProto,
  type Violations,
} from './deal.proto-mapper';

const callerOf = (ctx: TenantCallContext) => `api-key:${ctx.caller.keyId}`;

/** Digest of a write request without its request_id: a retry must carry the same content. */
function digestOf<S extends DescMessage>(schema: S, request: MessageShape<S>): string {
  const content = toJsonString(schema, { ...request, requestId: '' });

  return createHash('sha256').update(content).digest('hex');
}

function decodeEntryToken(token: string): { entryDate: string; entryId: string } | null {
  if (token === '') return null;
  const [entryDate, entryId, extra] = Buffer.from(token, 'base64url').toString('utf8').split('|');
  if (!entryDate || !entryId || extra !== undefined || !/^\d{4}-\d{2}-\d{2}$/.test(entryDate)) {
    throw new InvalidArgumentError(
      'page_token',
      'pass next_page_token from the previous response unchanged',
    );
  }

  return { entryDate, entryId: requireUuid('page_token', entryId) };
}

@Controller()
export class DealsGrpcController {
  constructor(
    private readonly deals: DealsService,
    private readonly settlements: SettlementsService,
    private readonly reports: ProfitSharingService,
  ) {}

  @GrpcMethod(DealService, 'createDeal')
  async createDeal(request: CreateDealRequest, ctx: TenantCallContext) {
    const violations: Violations = [];
    const frequency = frequencyFromProto(violations, request.frequency);
    const terms = termsFromProto(violations, request.terms, request.currency);
    if (violations.length > 0) throw invalidDeal(violations);
    const { deal, replayed } = await this.deals.create(ctx.caller.tenantId, {
      requestId: request.requestId,
      digest: digestOf(CreateDealRequestSchema, request),
      changedBy: callerOf(ctx),
      reason: request.reason,
      name: request.name,
      header: {
        payerOrganizationId: request.payerOrganizationId.toLowerCase(),
        currency: request.currency,
        frequency,
      },
      effectiveFrom: request.effectiveFrom,
      terms,
    });

    return { deal: dealToProto(deal), replayed };
  }

  @GrpcMethod(DealService, 'amendDeal')
  async amendDeal(request: AmendDealRequest, ctx: TenantCallContext) {
    const dealId = requireUuid('deal_id', request.dealId);
    const current = await this.deals.get(ctx.caller.tenantId, dealId);
    const violations: Violations = [];
    const terms = termsFromProto(violations, request.terms, current.currency);
    if (violations.length > 0) throw invalidDeal(violations);
    const { deal, replayed } = await this.deals.amend(ctx.caller.tenantId, {
      dealId,
      requestId: request.requestId,
      digest: digestOf(AmendDealRequestSchema, request),
      changedBy: callerOf(ctx),
      reason: request.reason,
      effectiveFrom: request.effectiveFrom,
      terms,
    });

    return { deal: dealToProto(deal), replayed };
  }

  @GrpcMethod(DealService, 'getDeal')
  async getDeal(request: GetDealRequest, ctx: TenantCallContext) {
    const deal = await this.deals.get(ctx.caller.tenantId, requireUuid('deal_id', request.dealId));

    return { deal: dealToProto(deal) };
  }

  @GrpcMethod(DealService, 'listDeals')
  async listDeals(request: ListDealsRequest, ctx: TenantCallContext) {
    const organizationId =
      request.organizationId === '' ? null : requireUuid('organization_id', request.organizationId);
    const page = await this.deals.list(
      ctx.caller.tenantId,
      organizationId,
      pageSize(request.pageSize),
      request.pageToken,
    );

    return { deals: page.deals.map(dealToProto), nextPageToken: page.nextPageToken };
  }

  @GrpcMethod(DealService, 'previewSettlement')
  async previewSettlement(request: PreviewSettlementRequest, ctx: TenantCallContext) {
    const dealId = requireUuid('deal_id', request.dealId);
    const settlement = await this.settlements.preview(
      ctx.caller.tenantId,
      dealId,
      request.periodStart,
    );

    return { settlement: settlementToProto(settlement) };
  }

  @GrpcMethod(DealService, 'finalizeSettlement')
  async finalizeSettlement(request: FinalizeSettlementRequest, ctx: TenantCallContext) {
    const dealId = requireUuid('deal_id', request.dealId);
    const { settlement, replayed } = await this.settlements.finalize(
      ctx.caller.tenantId,
      dealId,
      request.periodStart,
      callerOf(ctx),
    );

    return { settlement: settlementToProto(settlement), replayed };
  }

  @GrpcMethod(DealService, 'getSettlementStatement')
  async getSettlementStatement(request: GetSettlementStatementRequest, ctx: TenantCallContext) {
    const dealId = requireUuid('deal_id', request.dealId);
    const organizationId = requireUuid('organization_id', request.organizationId);
    const page = await this.settlements.statement(
      ctx.caller.tenantId,
      dealId,
      request.periodStart,
      {
        after: decodeEntryToken(request.pageToken),
        size: pageSize(request.pageSize),
      },
    );
    const party = page.settlement.result.parties.find((p) => p.organizationId === organizationId);
    if (!party) {
      throw new InvalidArgumentError(
        'organization_id',
        `${organizationId} is not a payee of deal ${dealId} in ${page.settlement.period.label}`,
      );
    }

    return {
      settlement: settlementToProto(page.settlement),
      party: {
        organizationId: party.organizationId,
        role: roleToProto(party.role),
        sharePercent: party.sharePercent,
        amount: moneyMessage(party.amount),
      },
      entries: page.entries.map((entry) => ({
        entryId: entry.entryId,
        ledgerId: entry.ledgerId,
        entryDate: entry.entryDate,
        transactionType:
          TransactionType[entry.transactionType.toUpperCase() as keyof typeof TransactionType] ??
          TransactionType.UNSPECIFIED,
        revenue: moneyMessage(entry.figures.revenue),
        refunds: moneyMessage(entry.figures.refunds),
        chargebacks: moneyMessage(entry.figures.chargebacks),
        deductions: moneyMessage(entry.figures.deductions),
        costs: moneyMessage(entry.figures.costs),
        units: entry.figures.units,
        late: entry.late,
      })),
      nextPageToken: page.nextPageToken,
    };
  }

  @GrpcMethod(DealService, 'getProfitSharingReport')
  async getProfitSharingReport(request: GetProfitSharingReportRequest, ctx: TenantCallContext) {
    return this.reports.report(ctx.caller.tenantId, {
      dealId: request.dealId === '' ? null : requireUuid('deal_id', request.dealId),
      organizationId:
        request.organizationId === ''
          ? null
          : requireUuid('organization_id', request.organizationId),
      fromDate: request.fromDate,
      toDate: request.toDate,
    });
  }
}
