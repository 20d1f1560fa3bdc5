import { Injectable } from '@nestjs/common';
import { IsolationLevel } from '@mikro-orm/core';
import { type EntityManager, MikroORM } from '@mikro-orm/postgresql';
import { requireUuid } from '@kontor/errors';
import { Money } from '@kontor/money';
import { json, query } from '../database/sql';
import { ReadModelService, WAIT_MAX_MS } from '../read-model/read-model.service';
import { dateRange, optionalCurrency } from '../reports/domain/query-inputs';
import { invalidQuery, ReportError, ReportErrorCode } from '../reports/domain/report.errors';
import { money, type WireMoney } from '../reports/reports.service';
import * as SQL from './persistence/profit-sharing.sql';
import { type SettlementRecord } from './transport/settlement-record.mapper';

export interface ProfitSharingQuery {
  dealId: string;
  organizationId: string;
  fromDate: string;
  toDate: string;
  currency: string;
  minSettlementId: string;
}

export interface ProfitSharingRow {
  dealId: string;
  dealName: string;
  periodLabel: string;
  periodStart: string;
  periodEnd: string;
  payerOrganizationId: string;
  payerOrganizationName: string;
  payeeOrganizationId: string;
  payeeOrganizationName: string;
  role: string;
  amount: WireMoney;
  settlementTotal: WireMoney;
  settlementId: string;
  /** ISO 8601 UTC with microseconds. */
  finalizeTime: string;
}

export interface ProfitSharingTotal {
  organizationId: string;
  organizationName: string;
  currency: string;
  received: WireMoney;
  paid: WireMoney;
  net: WireMoney;
}

export interface ProfitSharingReport {
  rows: ProfitSharingRow[];
  totals: ProfitSharingTotal[];
  settlementCount: bigint;
  /** ISO 8601 UTC with microseconds; null when the tenant has no settlement yet. */
  lastFinalizeTime: string | null;
}

interface RowRecord extends Record<string, string> {
  settlement_id: string;
  deal_id: string;
  deal_name: string;
  period_label: string;
  period_start: string;
  period_end: string;
  payer_organization_id: string;
  payer_name: string;
  payee_organization_id: string;
  payee_name: string;
  role: string;
  currency: string;
  amount: string;
  total: string;
  finalize_time: string;
}

/**
 * The profit-sharing read model: finalized settlements from `deals.settlements.v1` (applied
 * inside the consumer's inbox transaction) and the report over them.
 */
@Injectable()
export class ProfitSharingService {
  constructor(
    private readonly orm: MikroORM,
    private readonly readModel: ReadModelService,
  ) {}

  /**
   * Stores settlements and their shares once per settlement id in every writable version (or in
   * `versions`, the rebuild's). Returns the settlements inserted.
   */
  async applySettlements(
    em: EntityManager,
    records: readonly SettlementRecord[],
    versions?: readonly number[],
  ): Promise<number> {
    if (records.length === 0) return 0;
    const unique = [...new Map(records.map((record) => [record.settlement_id, record])).values()];
    const targets = versions ?? (await this.readModel.writableVersions(em));
    const [result] = await query<{ inserted: number }>(em, SQL.APPLY_SETTLEMENTS, [
      json(targets),
      json(unique),
    ]);

    return result.inserted;
  }

  /**
   * Every payee's share per deal and period (period start in [from_date, to_date]) for one deal
   * or one organization, with totals per organization and currency, in one REPEATABLE READ
   * snapshot of the active version.
   */
  async report(
    tenantId: string,
    input: ProfitSharingQuery,
    waitMs: number,
  ): Promise<ProfitSharingReport> {
    const { dealId, organizationId, range, currency } = parseQuery(input);
    if (input.minSettlementId !== '') {
      await this.waitForSettlement(
        tenantId,
        requireUuid('min_settlement_id', input.minSettlementId),
        waitMs,
      );
    }

    return this.orm.em.fork().transactional(
      async (em) => {
        const version = await this.readModel.activeVersion(em);
        if (organizationId !== null) {
          const [{ known }] = await query<{ known: boolean }>(em, SQL.ORGANIZATION_OF_TENANT, [
            version,
            tenantId,
            organizationId,
          ]);
          if (!known) {
            // Another tenant's organization is indistinguishable from a missing one.
            throw new ReportError(
              ReportErrorCode.ORGANIZATION_NOT_FOUND,
              `organization ${organizationId} not found`,
              {
                fieldViolations: [
                  { field: 'organization_id', description: 'no such organization for this tenant' },
                ],
              },
            );
          }
        }
        const found = await query<RowRecord>(em, SQL.PROFIT_SHARING_ROWS, [
          version,
          tenantId,
          range.from,
          range.to,
          currency,
          currency,
          dealId,
          dealId,
          organizationId,
          organizationId,
          organizationId,
        ]);
        const [fresh] = await query<{
          settlement_count: string;
          last_finalize_time: string | null;
        }>(em, SQL.SETTLEMENT_FRESHNESS, [version, tenantId]);
        const totals = await this.totals(em, version, tenantId, found, organizationId);

        return {
          rows: found.map((row) => ({
            dealId: row.deal_id,
            dealName: row.deal_name,
            periodLabel: row.period_label,
            periodStart: row.period_start,
            periodEnd: row.period_end,
            payerOrganizationId: row.payer_organization_id,
            payerOrganizationName: row.payer_name,
            payeeOrganizationId: row.payee_organization_id,
            payeeOrganizationName: row.payee_name,
            role: row.role,
            amount: money(Money.fromDecimal(row.amount, row.currency)),
            settlementTotal: money(Money.fromDecimal(row.total, row.currency)),
            settlementId: row.settlement_id,
            finalizeTime: row.finalize_time,
          })),
          totals,
          settlementCount: BigInt(fresh.settlement_count),
          lastFinalizeTime: fresh.last_finalize_time,
        };
      },
      { isolationLevel: IsolationLevel.REPEATABLE_READ, readOnly: true },
    );
  }

  /**
   * Per organization and currency: received (its shares as payee) and paid (the totals of the
   * settlements it pays); for an organization's report only that organization.
   */
  private async totals(
    em: EntityManager,
    version: number,
    tenantId: string,
    rows: readonly RowRecord[],
    organizationId: string | null,
  ): Promise<ProfitSharingTotal[]> {
    const sums = new Map<string, { organizationId: string; received: Money; paid: Money }>();
    const sum = (organization: string, currency: string) => {
      const key = `${organization}|${currency}`;
      let found = sums.get(key);
      if (!found) {
        const zero = Money.zero(currency);
        found = { organizationId: organization, received: zero, paid: zero };
        sums.set(key, found);
      }

      return found;
    };
    const paidFor = new Set<string>();
    for (const row of rows) {
      if (!paidFor.has(row.settlement_id)) {
        paidFor.add(row.settlement_id);
        const payer = sum(row.payer_organization_id, row.currency);
        payer.paid = payer.paid.plus(Money.fromDecimal(row.total, row.currency));
      }
      const payee = sum(row.payee_organization_id, row.currency);
      payee.received = payee.received.plus(Money.fromDecimal(row.amount, row.currency));
    }
    const kept = [...sums.values()]
      .filter((item) => organizationId === null || item.organizationId === organizationId)
      .sort((a, b) =>
        a.organizationId === b.organizationId
          ? a.received.currency.code < b.received.currency.code
            ? -1
            : 1
          : a.organizationId < b.organizationId
            ? -1
            : 1,
      );
    const names = new Map(
      (
        await query<{ id: string; name: string }>(em, SQL.ORGANIZATION_NAMES, [
          version,
          tenantId,
          json([...new Set(kept.map((item) => item.organizationId))]),
        ])
      ).map((row) => [row.id, row.name]),
    );

    return kept.map((item) => ({
      organizationId: item.organizationId,
      organizationName: names.get(item.organizationId) ?? '',
      currency: item.received.currency.code,
      received: money(item.received),
      paid: money(item.paid),
      net: money(item.received.minus(item.paid)),
    }));
  }

  /** Waits (polling with backoff) until the settlement is in the active version. */
  private async waitForSettlement(
    tenantId: string,
    settlementId: string,
    waitMs: number,
  ): Promise<void> {
    const em = this.orm.em.fork();
    const giveUpAt = Date.now() + Math.min(waitMs, WAIT_MAX_MS);
    let delay = 5;
    for (;;) {
      const [{ known }] = await query<{ known: boolean }>(em, SQL.SETTLEMENT_KNOWN, [
        await this.readModel.activeVersion(em),
        tenantId,
        settlementId,
      ]);
      if (known) return;
      if (Date.now() + delay > giveUpAt) {
        throw new ReportError(
          ReportErrorCode.NOT_CURRENT_YET,
          `settlement ${settlementId} is not in the profit-sharing report yet; retry shortly`,
          {
            fieldViolations: [{ field: 'min_settlement_id', description: 'not included yet' }],
          },
        );
      }
      await new Promise((resolve) => setTimeout(resolve, delay));
      delay = Math.min(delay * 2, 200);
    }
  }
}

/** The request's selection, validated: each bad field named (INVALID_ARGUMENT). */
function parseQuery(input: ProfitSharingQuery) {
  if (input.dealId === '' && input.organizationId === '') {
    throw invalidQuery('deal_id', 'give a deal_id or an organization_id');
  }
  if (input.dealId !== '' && input.organizationId !== '') {
    throw invalidQuery('organization_id', 'give a deal_id or an organization_id, not both');
  }
  const dealId = input.dealId === '' ? null : requireUuid('deal_id', input.dealId);
  const organizationId =
    input.organizationId === '' ? null : requireUuid('organization_id', input.organizationId);
  const range = dateRange(
    { field: 'from_date', value: input.fromDate },
    { field: 'to_date', value: input.toDate },
    true,
  );
  const currency = optionalCurrency('currency', input.currency);

  return { dealId, organizationId, range, currency };
}
