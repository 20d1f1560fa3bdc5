import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import {
  type EntityManager,
  MikroORM,
  UniqueConstraintViolationException,
} from '@mikro-orm/postgresql';
import { decodePageToken, toPage } from '@kontor/db';
import { DealError, DealErrorCode, invalidDeal } from './domain/deal.errors';
import { type DealHeader, type DealTerms, validateTerms } from './domain/deal-terms';
import { checkAmendment } from './domain/deal-version';
import { periodContaining } from './domain/period';
import {
  dealByRequest,
  type DealRecord,
  insertDeal,
  insertVersion,
  listDeals,
  loadDeal,
  loadSettlements,
  unknownLedgers,
  unknownOrganizations,
  versionByRequest,
} from './persistence/deals.repository';

/** Where a write came from: idempotency key, digest of the request's content, the caller. */
export interface WriteRequest {
  requestId: string;
  /** Digest of the request without its request_id: a retry must carry the same content. */
  digest: string;
  changedBy: string;
  reason: string;
}

export interface CreateDealCommand extends WriteRequest {
  name: string;
  header: DealHeader;
  effectiveFrom: string;
  terms: DealTerms;
}

export interface AmendDealCommand extends WriteRequest {
  dealId: string;
  effectiveFrom: string;
  terms: DealTerms;
}

export interface DealView extends DealRecord {
  /** Last day of the last finalized period, or null. */
  finalizedThrough: string | null;
}

function requestViolations(request: WriteRequest): { field: string; description: string }[] {
  const violations = [];
  if (request.requestId.length < 1 || request.requestId.length > 200) {
    violations.push({ field: 'request_id', description: 'must be 1-200 characters' });
  }
  if (request.reason.length > 500) {
    violations.push({ field: 'reason', description: 'at most 500 characters' });
  }

  return violations;
}

function conflict(requestId: string): DealError {
  return new DealError(
    DealErrorCode.REQUEST_CONFLICT,
    `request_id: "${requestId}" was already used for a different request; use a new request_id`,
    { fieldViolations: [{ field: 'request_id', description: 'used with other content' }] },
  );
}

export function dealNotFound(dealId: string): DealError {
  return new DealError(DealErrorCode.DEAL_NOT_FOUND, `deal ${dealId} not found`, {
    fieldViolations: [{ field: 'deal_id', description: 'no such deal in this tenant' }],
  });
}

/** Deals and their versions: create, amend (a new version), read. */
@Injectable()
export class DealsService {
  constructor(private readonly orm: MikroORM) {}

  async create(
    tenantId: string,
    command: CreateDealCommand,
  ): Promise<{ deal: DealView; replayed: boolean }> {
    const extra = requestViolations(command);
    if (command.name.trim().length < 1 || command.name.length > 200) {
      extra.push({ field: 'name', description: 'must be 1-200 characters' });
    }
    validateTerms(command.header, command.terms, command.effectiveFrom, extra);
    const start = periodContaining(command.header.frequency, command.effectiveFrom).start;
    if (start !== command.effectiveFrom) {
      throw invalidDeal([
        { field: 'effective_from', description: `must start a period, e.g. ${start}` },
      ]);
    }
    try {
      return await this.orm.em.fork().transactional(async (em) => {
        const replay = await this.replayOfCreate(em, tenantId, command);
        if (replay) return replay;
        await this.checkParties(em, tenantId, command.header.payerOrganizationId, command.terms);
        const id = randomUUID();
        await insertDeal(em, {
          ...command.header,
          id,
          tenantId,
          name: command.name,
          requestId: command.requestId,
          digest: command.digest,
          createdAt: new Date(),
        });
        await insertVersion(
          em,
          { id, tenantId },
          {
            version: 1,
            effectiveFrom: command.effectiveFrom,
            terms: command.terms,
            changedBy: command.changedBy,
            reason: command.reason,
          },
          command,
        );

        return { deal: await this.view(em, tenantId, id), replayed: false };
      });
    } catch (error) {
      // A concurrent twin of this request won the insert: answer as its replay.
      if (!(error instanceof UniqueConstraintViolationException)) throw error;
      const replay = await this.replayOfCreate(this.orm.em.fork(), tenantId, command);
      if (!replay) throw error;

      return replay;
    }
  }

  private async replayOfCreate(
    em: EntityManager,
    tenantId: string,
    command: CreateDealCommand,
  ): Promise<{ deal: DealView; replayed: boolean } | null> {
    const existing = await dealByRequest(em, tenantId, command.requestId);
    if (!existing) return null;
    if (existing.digest !== command.digest) throw conflict(command.requestId);

    return { deal: await this.view(em, tenantId, existing.id), replayed: true };
  }

  async amend(
    tenantId: string,
    command: AmendDealCommand,
  ): Promise<{ deal: DealView; replayed: boolean }> {
    const violations = requestViolations(command);
    if (violations.length > 0) throw invalidDeal(violations);

    return this.orm.em.fork().transactional(async (em) => {
      const deal = await loadDeal(em, tenantId, command.dealId, true);
      if (!deal) throw dealNotFound(command.dealId);
      const existing = await versionByRequest(em, deal.id, command.requestId);
      if (existing) {
        if (existing.digest !== command.digest) throw conflict(command.requestId);

        return { deal: await this.view(em, tenantId, deal.id), replayed: true };
      }
      const settled = await loadSettlements(em, tenantId, deal.id, deal.currency);
      checkAmendment(
        deal,
        deal.versions,
        command.effectiveFrom,
        command.terms,
        settled[settled.length - 1]?.periodEnd ?? null,
      );
      await this.checkParties(em, tenantId, deal.payerOrganizationId, command.terms);
      await insertVersion(
        em,
        deal,
        {
          version: deal.versions.length + 1,
          effectiveFrom: command.effectiveFrom,
          terms: command.terms,
          changedBy: command.changedBy,
          reason: command.reason,
        },
        command,
      );

      return { deal: await this.view(em, tenantId, deal.id), replayed: false };
    });
  }

  async get(tenantId: string, dealId: string): Promise<DealView> {
    return this.view(this.orm.em.fork(), tenantId, dealId);
  }

  async list(
    tenantId: string,
    organizationId: string | null,
    size: number,
    pageToken: string,
  ): Promise<{ deals: DealView[]; nextPageToken: string }> {
    const em = this.orm.em.fork();
    const found = await listDeals(
      em,
      tenantId,
      organizationId,
      decodePageToken(pageToken),
      size + 1,
    );
    const page = toPage(found, size);
    const deals = [];
    for (const deal of page.rows) deals.push(await this.withFinalized(em, deal));

    return { deals, nextPageToken: page.nextPageToken };
  }

  private async view(em: EntityManager, tenantId: string, dealId: string): Promise<DealView> {
    const deal = await loadDeal(em, tenantId, dealId);
    if (!deal) throw dealNotFound(dealId);

    return this.withFinalized(em, deal);
  }

  private async withFinalized(em: EntityManager, deal: DealRecord): Promise<DealView> {
    const settled = await loadSettlements(em, deal.tenantId, deal.id, deal.currency);

    return { ...deal, finalizedThrough: settled[settled.length - 1]?.periodEnd ?? null };
  }

  /** Every party and scope ledger must exist in the tenant (as the ledger announced them). */
  private async checkParties(
    em: EntityManager,
    tenantId: string,
    payerId: string,
    terms: DealTerms,
  ): Promise<void> {
    const organizations = new Map<string, string>([[payerId, 'payer_organization_id']]);
    terms.payees.forEach((payee, i) =>
      organizations.set(payee.organizationId, `terms.payees[${i}].organization_id`),
    );
    const ledgers = new Map(
      terms.scope.ledgerIds.map((id, i) => [id, `terms.scope.ledger_ids[${i}]`] as const),
    );
    const unknown = [
      ...(await unknownOrganizations(em, tenantId, [...organizations.keys()])).map((id) => ({
        field: organizations.get(id)!,
        description: `organization ${id} not found`,
      })),
      ...(await unknownLedgers(em, tenantId, [...ledgers.keys()])).map((id) => ({
        field: ledgers.get(id)!,
        description: `ledger ${id} not found`,
      })),
    ];
    if (unknown.length === 0) return;
    throw new DealError(
      DealErrorCode.PARTY_NOT_FOUND,
      `${unknown.map((v) => `${v.field}: ${v.description}`).join('; ')} in this tenant (one created just now may take a moment to reach the deals service)`,
      { fieldViolations: unknown },
    );
  }
}
