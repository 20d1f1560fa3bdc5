import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { type EntityManager, MikroORM } from '@mikro-orm/postgresql';
import { create } from '@bufbuild/protobuf';
import { timestampFromDate } from '@bufbuild/protobuf/wkt';
import { SettlementFinalizedSchema } from '@kontor/contracts/events/v1/settlement_events_pb';
import { DEALS_SETTLEMENTS_TOPIC } from '@kontor/events';
import { enqueueEvent } from '@kontor/kafka';
import { Money } from '@kontor/money';
import { DealError, DealErrorCode } from './domain/deal.errors';
import { versionInForce, type DealVersion } from './domain/deal-version';
import { nextPeriod, periodContaining, periodStartingOn, type Period } from './domain/period';
import { computeSettlement, type SettlementResult } from './domain/settlement-calculator';
import { dealNotFound } from './deals.service';
import {
  type DealRecord,
  insertSettlement,
  type LateAdjustmentRecord,
  loadDeal,
  loadSettlements,
  type StoredSettlement,
} from './persistence/deals.repository';
import {
  currentSeq,
  freezeScopeLines,
  scopeEntries,
  scopeFigures,
  type EntryFigures,
  type ScopeQuery,
} from './persistence/scope-figures.sql';

/** At most this many periods are computed in one chain (20 years of months). */
const MAX_CHAIN_PERIODS = 240;

/** A period's settlement, finalized (stored) or computed now (preview). */
export interface PeriodSettlement {
  deal: DealRecord;
  period: Period;
  version: DealVersion;
  result: SettlementResult;
  lateAdjustments: LateAdjustmentRecord[];
  entryCount: bigint;
  /** Set when finalized. */
  stored: StoredSettlement | null;
}

export interface StatementPage {
  settlement: PeriodSettlement;
  entries: (EntryFigures & { late: boolean })[];
  nextPageToken: string;
}

function notSettleable(message: string): DealError {
  return new DealError(DealErrorCode.PERIOD_NOT_SETTLEABLE, message, {
    fieldViolations: [{ field: 'period_start', description: message }],
  });
}

function noTerms(deal: DealRecord, period: Period): DealError {
  return notSettleable(`no terms of deal ${deal.id} are in force in ${period.label}`);
}

function todayUtc(): string {
  return new Date().toISOString().slice(0, 10);
}

/**
 * Settlements: preview (computed from the scope lines known now), finalize (stored, locked,
 * published), statements and reports. Periods settle in order: a period's carry-in is the
 * previous period's carry-out, so a preview computes the chain from the last finalized period.
 */
@Injectable()
export class SettlementsService {
  constructor(private readonly orm: MikroORM) {}

  async preview(tenantId: string, dealId: string, periodStart: string): Promise<PeriodSettlement> {
    const em = this.orm.em.fork();
    const deal = await this.deal(em, tenantId, dealId);
    const target = periodStartingOn(deal.frequency, periodStart);
    const settled = await loadSettlements(em, tenantId, deal.id, deal.currency);

    return this.settle(em, deal, settled, target);
  }

  async finalize(
    tenantId: string,
    dealId: string,
    periodStart: string,
    finalizedBy: string,
  ): Promise<{ settlement: PeriodSettlement; replayed: boolean }> {
    return this.orm.em.fork().transactional(async (em) => {
      const deal = await loadDeal(em, tenantId, dealId, true);
      if (!deal) throw dealNotFound(dealId);
      const target = periodStartingOn(deal.frequency, periodStart);
      const settled = await loadSettlements(em, tenantId, deal.id, deal.currency);
      const existing = settled.find((settlement) => settlement.periodStart === target.start);
      if (existing) return { settlement: this.fromStored(deal, existing), replayed: true };
      if (target.end >= todayUtc()) {
        throw notSettleable(`period ${target.label} has not ended yet (ends ${target.end})`);
      }
      const first = this.firstOpenPeriod(deal, settled);
      if (target.start !== first.start) {
        if (!versionInForce(deal.versions, target)) throw noTerms(deal, target);
        throw notSettleable(
          target.start < first.start
            ? `period ${target.label} is before the deal starts (${first.start})`
            : `periods finalize in order: finalize ${first.label} first`,
        );
      }
      await freezeScopeLines(em);
      const watermark = await currentSeq(em);
      const computed = await this.settle(em, deal, settled, target);
      const stored: StoredSettlement = {
        id: randomUUID(),
        dealId: deal.id,
        periodStart: target.start,
        periodEnd: target.end,
        dealVersion: computed.version.version,
        watermark,
        entryCount: computed.entryCount,
        result: computed.result,
        lateAdjustments: computed.lateAdjustments,
        finalizedBy,
        finalizedAt: new Date(),
      };
      await insertSettlement(em, tenantId, stored);
      await this.publish(em, tenantId, deal, target, stored);

      return { settlement: { ...computed, stored }, replayed: false };
    });
  }

  async statement(
    tenantId: string,
    dealId: string,
    periodStart: string,
    page: { after: { entryDate: string; entryId: string } | null; size: number },
  ): Promise<StatementPage> {
    const settlement = await this.preview(tenantId, dealId, periodStart);
    const em = this.orm.em.fork();
    const entries = await scopeEntries(
      em,
      this.scopeQuery(settlement.deal, settlement.version, settlement.period, null, null),
      page.after,
      page.size + 1,
    );
    const watermark = settlement.stored?.watermark ?? null;
    const shown = entries.slice(0, page.size);
    const last = shown[shown.length - 1];

    return {
      settlement,
      entries: shown.map((entry) => ({
        ...entry,
        late: watermark !== null && entry.maxSeq > watermark,
      })),
      nextPageToken:
        entries.length > page.size && last
          ? Buffer.from(`${last.entryDate}|${last.entryId}`).toString('base64url')
          : '',
    };
  }

  /** Every settled or settleable period of a deal between two dates (reports). */
  async periodsOf(
    em: EntityManager,
    deal: DealRecord,
    fromDate: string,
    toDate: string,
  ): Promise<PeriodSettlement[]> {
    const settled = await loadSettlements(em, deal.tenantId, deal.id, deal.currency);
    const found: PeriodSettlement[] = [];
    for (const stored of settled) {
      if (stored.periodStart >= fromDate && stored.periodEnd <= toDate) {
        found.push(this.fromStored(deal, stored));
      }
    }
    const last = this.lastPeriodEnding(deal, toDate);
    if (last) {
      const chain = await this.chain(em, deal, settled, last);
      found.push(...chain.filter((item) => item.period.start >= fromDate));
    }

    return found;
  }

  private lastPeriodEnding(deal: DealRecord, toDate: string): Period | null {
    const containing = periodContaining(deal.frequency, toDate);
    if (containing.end === toDate) return containing;
    let period = periodContaining(deal.frequency, deal.versions[0].effectiveFrom);
    if (period.end > toDate) return null;
    for (let next = nextPeriod(deal.frequency, period); next.end <= toDate;) {
      period = next;
      next = nextPeriod(deal.frequency, next);
    }

    return period;
  }

  private async deal(em: EntityManager, tenantId: string, dealId: string): Promise<DealRecord> {
    const deal = await loadDeal(em, tenantId, dealId);
    if (!deal) throw dealNotFound(dealId);

    return deal;
  }

  /**
   * The next period to finalize. Months between one version's end and a later version's start
   * have no terms and nothing to settle: they are skipped, so a gap never blocks what follows.
   */
  private firstOpenPeriod(deal: DealRecord, settled: StoredSettlement[]): Period {
    const last = settled[settled.length - 1];
    let period = last
      ? nextPeriod(deal.frequency, periodStartingOn(deal.frequency, last.periodStart))
      : periodContaining(deal.frequency, deal.versions[0].effectiveFrom);
    const latestStart = deal.versions[deal.versions.length - 1].effectiveFrom;
    while (!versionInForce(deal.versions, period) && period.start < latestStart) {
      period = nextPeriod(deal.frequency, period);
    }

    return period;
  }

  private fromStored(deal: DealRecord, stored: StoredSettlement): PeriodSettlement {
    return {
      deal,
      period: this.periodOf(deal, stored),
      version: this.versionOf(deal, stored),
      result: stored.result,
      lateAdjustments: stored.lateAdjustments,
      entryCount: stored.entryCount,
      stored,
    };
  }

  /** The target period's settlement: stored when finalized, else the end of the preview chain. */
  private async settle(
    em: EntityManager,
    deal: DealRecord,
    settled: StoredSettlement[],
    target: Period,
  ): Promise<PeriodSettlement> {
    const stored = settled.find((settlement) => settlement.periodStart === target.start);
    if (stored) return this.fromStored(deal, stored);
    if (!versionInForce(deal.versions, target)) throw noTerms(deal, target);
    const first = this.firstOpenPeriod(deal, settled);
    if (target.start < first.start) {
      throw notSettleable(`period ${target.label} is before the deal starts (${first.start})`);
    }
    const chain = await this.chain(em, deal, settled, target);
    const result = chain[chain.length - 1];
    if (!result || result.period.start !== target.start) throw noTerms(deal, target);

    return result;
  }

  /**
   * Previews from the first open period up to `target`, each period's carry-out feeding the
   * next one's carry-in; the first computed period also takes the late adjustments of the
   * finalized periods. Periods without terms in force are skipped.
   */
  private async chain(
    em: EntityManager,
    deal: DealRecord,
    settled: StoredSettlement[],
    target: Period,
  ): Promise<PeriodSettlement[]> {
    const zero = Money.zero(deal.currency);
    const restated = await this.restate(em, deal, settled);
    let carry = restated.carry;
    let pending: LateAdjustmentRecord[] | null = restated.adjustments;
    const computed: PeriodSettlement[] = [];
    let period = this.firstOpenPeriod(deal, settled);
    for (let count = 0; period.start <= target.start; count++) {
      if (count >= MAX_CHAIN_PERIODS) {
        throw notSettleable(`more than ${MAX_CHAIN_PERIODS} open periods before ${target.label}`);
      }
      const version = versionInForce(deal.versions, period);
      if (version) {
        const late = pending ?? [];
        const lateAdjustment = late.reduce(
          (sum, item) => sum.plus(Money.parse(item.amount, deal.currency)),
          zero,
        );
        const scope = await scopeFigures(em, this.scopeQuery(deal, version, period, null, null));
        const result = computeSettlement({
          terms: version.terms,
          currency: deal.currency,
          figures: scope.figures,
          carryIn: carry,
          lateAdjustment,
        });
        computed.push({
          deal,
          period,
          version,
          result,
          lateAdjustments: late,
          entryCount: scope.entryCount,
          stored: null,
        });
        carry = result.carryOut;
        pending = null;
      }
      period = nextPeriod(deal.frequency, period);
    }

    return computed;
  }

  /**
   * What the finalized periods hand to the first open one: a carry-in and late adjustments.
   *
   * Without late lines (scope lines that arrived after their period was finalized) that is the
   * last stored carry-out and nothing else. With late lines the finalized chain is restated with
   * every line known now, each period under its own terms, from a zero carry: the restated
   * carry-out becomes the carry-in, and each period's restated total, minus what it settled,
   * minus corrections later settlements already made for it, plus the corrections it settled for
   * earlier periods, is its adjustment. So the adjustments always sum to "restated − settled" over
   * the whole chain, and a late line in a period that carried a shortfall forward is not paid
   * twice (once through its own recomputation, again through the stale stored carry).
   */
  private async restate(
    em: EntityManager,
    deal: DealRecord,
    settled: StoredSettlement[],
  ): Promise<{ carry: Money; adjustments: LateAdjustmentRecord[] }> {
    const zero = Money.zero(deal.currency);
    const sum = (items: LateAdjustmentRecord[]) =>
      items.reduce((total, item) => total.plus(Money.parse(item.amount, deal.currency)), zero);
    const lateCounts: bigint[] = [];
    for (const stored of settled) {
      const late = await scopeFigures(
        em,
        this.scopeQuery(
          deal,
          this.versionOf(deal, stored),
          this.periodOf(deal, stored),
          null,
          stored.watermark,
        ),
      );
      lateCounts.push(late.entryCount);
    }
    if (lateCounts.every((count) => count === 0n)) {
      return { carry: settled[settled.length - 1]?.result.carryOut ?? zero, adjustments: [] };
    }

    const adjustments: LateAdjustmentRecord[] = [];
    let carry = zero;
    for (const [index, stored] of settled.entries()) {
      const version = this.versionOf(deal, stored);
      const all = await scopeFigures(
        em,
        this.scopeQuery(deal, version, this.periodOf(deal, stored), null, null),
      );
      const restated = computeSettlement({
        terms: version.terms,
        currency: deal.currency,
        figures: all.figures,
        carryIn: carry,
        lateAdjustment: zero,
      });
      carry = restated.carryOut;
      const correctedLater = sum(
        settled
          .flatMap((other) => other.lateAdjustments)
          .filter((item) => item.periodStart === stored.periodStart),
      );
      const amount = restated.total
        .minus(stored.result.total)
        .minus(correctedLater)
        .plus(sum(stored.lateAdjustments));
      if (amount.isZero()) continue;
      adjustments.push({
        periodStart: stored.periodStart,
        amount: amount.toString(),
        entryCount: (lateCounts[index] ?? 0n).toString(),
      });
    }

    return { carry, adjustments };
  }

  private periodOf(deal: DealRecord, stored: StoredSettlement): Period {
    return periodStartingOn(deal.frequency, stored.periodStart);
  }

  private versionOf(deal: DealRecord, stored: StoredSettlement): DealVersion {
    return deal.versions[stored.dealVersion - 1];
  }

  private scopeQuery(
    deal: DealRecord,
    version: DealVersion,
    period: Period,
    upToSeq: bigint | null,
    afterSeq: bigint | null,
  ): ScopeQuery {
    return {
      tenantId: deal.tenantId,
      currency: deal.currency,
      scope: version.terms.scope,
      period,
      upToSeq,
      afterSeq,
    };
  }

  private async publish(
    em: EntityManager,
    tenantId: string,
    deal: DealRecord,
    period: Period,
    stored: StoredSettlement,
  ): Promise<void> {
    const money = (amount: Money) => ({
      amount: amount.toString(),
      currency: amount.currency.code,
    });
    await enqueueEvent(em, DEALS_SETTLEMENTS_TOPIC, {
      key: deal.id,
      schema: SettlementFinalizedSchema,
      message: create(SettlementFinalizedSchema, {
        tenantId,
        settlementId: stored.id,
        dealId: deal.id,
        dealName: deal.name,
        payerOrganizationId: deal.payerOrganizationId,
        periodStart: period.start,
        periodEnd: period.end,
        periodLabel: period.label,
        total: money(stored.result.total),
        shares: stored.result.parties.map((party) => ({
          organizationId: party.organizationId,
          role: party.role,
          amount: money(party.amount),
        })),
        finalizeTime: timestampFromDate(stored.finalizedAt),
      }),
    });
  }
}
