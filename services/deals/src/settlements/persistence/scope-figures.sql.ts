import { type EntityManager } from '@mikro-orm/postgresql';
import { Money } from '@kontor/money';
import { pgArray, rows } from '../../database/sql';
import { type DealScope } from '../domain/deal-terms';
import { type Period } from '../domain/period';
import { type BasisFigures } from '../domain/settlement-calculator';

/** Which lines: the deal's scope in one period, optionally only those that arrived up to a seq. */
export interface ScopeQuery {
  tenantId: string;
  currency: string;
  scope: DealScope;
  period: Period;
  /** Only lines with seq ≤ this (what a finalized settlement saw); null = all. */
  upToSeq: bigint | null;
  /** Only lines with seq > this (late arrivals); null = all. */
  afterSeq: bigint | null;
}

function scopeWhere(query: ScopeQuery): { sql: string; params: unknown[] } {
  const { scope } = query;
  const sql = `tenant_id = ? AND ledger_id = ANY(?::uuid[])
    AND entry_date BETWEEN ?::date AND ?::date AND currency = ?
    AND (? = 0 OR product = ANY(?::text[]))
    AND (? = 0 OR entry_counterparties && ?::uuid[])
    AND (? = 0 OR transaction_type = ANY(?::text[]))
    AND (transaction_type <> 'revenue_share' OR ? = 'include')
    AND (? = '' OR deal_tag = ?)
    AND (?::bigint IS NULL OR seq <= ?::bigint)
    AND (?::bigint IS NULL OR seq > ?::bigint)`;
  const upTo = query.upToSeq?.toString() ?? null;
  const after = query.afterSeq?.toString() ?? null;

  return {
    sql,
    params: [
      query.tenantId,
      pgArray(scope.ledgerIds),
      query.period.start,
      query.period.end,
      query.currency,
      scope.products.length,
      pgArray(scope.products),
      scope.counterpartyIds.length,
      pgArray(scope.counterpartyIds),
      scope.transactionTypes.length,
      pgArray(scope.transactionTypes),
      // Settlement entries (revenue shares) stay out unless the scope names them: a deal must
      // not settle on its own payouts.
      scope.transactionTypes.includes('revenue_share') ? 'include' : 'exclude',
      scope.dealTag,
      scope.dealTag,
      upTo,
      upTo,
      after,
      after,
    ],
  };
}

// The classification of a line (see BasisFigures), as SQL over one row; parameters follow the
// order revenue, deduction, cost account lists. Entries are counted by their first line when the
// scope is entry-level (a product or deal tag filter can leave that line out: then distinct ids).
function classified(scope: DealScope): string {
  const lineLevel = scope.products.length > 0 || scope.dealTag !== '';

  return `
  sum(amount) FILTER (WHERE side = 'C' AND account_code = ANY(?::text[])) AS revenue,
  sum(amount) FILTER (WHERE side = 'D' AND NOT chargeback AND account_code = ANY(?::text[])) AS refunds,
  sum(amount) FILTER (WHERE side = 'D' AND chargeback AND account_code = ANY(?::text[])) AS chargebacks,
  sum(CASE side WHEN 'D' THEN amount ELSE -amount END) FILTER (WHERE account_code = ANY(?::text[])) AS deductions,
  sum(CASE side WHEN 'D' THEN amount ELSE -amount END) FILTER (WHERE account_code = ANY(?::text[])) AS costs,
  count(*) FILTER (WHERE side = 'C' AND account_code = ANY(?::text[])) AS units,
  ${lineLevel ? 'count(DISTINCT entry_id)' : 'count(*) FILTER (WHERE line_index = 0)'} AS entries,
  max(seq) AS max_seq`;
}

function classifiedParams(scope: DealScope): string[] {
  const revenue = pgArray(scope.revenueAccountCodes);

  return [
    revenue,
    revenue,
    revenue,
    pgArray(scope.deductionAccountCodes),
    pgArray(scope.costAccountCodes),
    revenue,
  ];
}

interface FiguresRow extends Record<string, unknown> {
  revenue: string | null;
  refunds: string | null;
  chargebacks: string | null;
  deductions: string | null;
  costs: string | null;
  units: string;
  entries: string;
  max_seq: string | null;
}

export interface ScopeFigures {
  figures: BasisFigures;
  entryCount: bigint;
  /** Highest seq among the lines; null when there are none. */
  maxSeq: bigint | null;
}

function figuresOf(row: FiguresRow, currency: string): BasisFigures {
  const money = (value: string | null) =>
    value === null ? Money.zero(currency) : Money.fromDecimal(value, currency);

  return {
    revenue: money(row.revenue),
    refunds: money(row.refunds),
    chargebacks: money(row.chargebacks),
    deductions: money(row.deductions),
    costs: money(row.costs),
    units: BigInt(row.units),
  };
}

/** The period's figures in one aggregate over the scope lines. */
export async function scopeFigures(em: EntityManager, query: ScopeQuery): Promise<ScopeFigures> {
  const where = scopeWhere(query);
  const [row] = await rows<FiguresRow>(
    em,
    `SELECT ${classified(query.scope)} FROM scope_lines WHERE ${where.sql}`,
    [...classifiedParams(query.scope), ...where.params],
  );

  return {
    figures: figuresOf(row, query.currency),
    entryCount: BigInt(row.entries),
    maxSeq: row.max_seq === null ? null : BigInt(row.max_seq),
  };
}

export interface EntryFigures {
  entryId: string;
  ledgerId: string;
  entryDate: string;
  transactionType: string;
  figures: BasisFigures;
  /** Highest seq of its lines (to tell late arrivals). */
  maxSeq: bigint;
}

/** Per entry of the scope (drill-down), by date and id, after a (date, id) position. */
export async function scopeEntries(
  em: EntityManager,
  query: ScopeQuery,
  after: { entryDate: string; entryId: string } | null,
  limit: number,
): Promise<EntryFigures[]> {
  const where = scopeWhere(query);
  const found = await rows<
    FiguresRow & {
      entry_id: string;
      ledger_id: string;
      entry_date: string;
      transaction_type: string;
    }
  >(
    em,
    `SELECT entry_id, ledger_id, entry_date::text AS entry_date, transaction_type, ${classified(query.scope)}
       FROM scope_lines WHERE ${where.sql}
        AND (?::date IS NULL OR (entry_date, entry_id) > (?::date, ?::uuid))
      GROUP BY entry_id, ledger_id, entry_date, transaction_type
      ORDER BY entry_date, entry_id LIMIT ?`,
    [
      ...classifiedParams(query.scope),
      ...where.params,
      after?.entryDate ?? null,
      after?.entryDate ?? null,
      after?.entryId ?? null,
      limit,
    ],
  );

  return found.map((row) => ({
    entryId: row.entry_id,
    ledgerId: row.ledger_id,
    entryDate: row.entry_date,
    transactionType: row.transaction_type,
    figures: figuresOf(row, query.currency),
    maxSeq: BigInt(row.max_seq ?? '0'),
  }));
}

/** The highest seq recorded so far; 0 when none. */
export async function currentSeq(em: EntityManager): Promise<bigint> {
  const [row] = await rows<{ seq: string | null }>(
    em,
    'SELECT max(seq) AS seq FROM scope_lines',
    [],
  );

  return BigInt(row.seq ?? '0');
}

/**
 * Waits for scope lines being written by transactions in flight and keeps new ones out until
 * this transaction ends, so `currentSeq` is a watermark no earlier line can commit below.
 */
export async function freezeScopeLines(em: EntityManager): Promise<void> {
  await rows(em, 'LOCK TABLE scope_lines IN SHARE MODE', []);
}
