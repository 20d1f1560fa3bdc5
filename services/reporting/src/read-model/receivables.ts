import { type EntityManager } from '@mikro-orm/postgresql';
import { Money } from '@kontor/money';
import { json, query } from '../database/sql';
import {
  CANCEL_INVOICES,
  DROP_CLOSED_DUES,
  INSERT_INVOICES,
  RECOMPUTE_CUM,
  REFRESH_OPEN_DUES,
  REVERSED_INVOICES,
  UPSERT_POOLS,
} from './persistence/receivables.sql';

/** A new entry's net effect on one customer's receivable lines in one currency (APPLY_LINES). */
export interface ReceivableMove {
  version: number;
  tenant_id: string;
  ledger_id: string;
  customer_id: string;
  currency: string;
  entry_id: string;
  entry_date: string;
  number: string;
  journal_symbol: string;
  transaction_type: string;
  reverses_entry_id: string | null;
  due: string;
  net: string;
}

interface InvoiceKey {
  entry_date: string;
  number: string;
  journal_symbol: string;
  entry_id: string;
}

const groupOf = (row: {
  version: number;
  ledger_id: string;
  customer_id: string;
  currency: string;
}) => `${row.version}/${row.ledger_id}/${row.customer_id}/${row.currency}`;

// Invoice order: date, number, journal symbol (byte order, as COLLATE "C"), entry id.
function before(a: InvoiceKey, b: InvoiceKey): boolean {
  if (a.entry_date !== b.entry_date) return a.entry_date < b.entry_date;
  if (a.number !== b.number) return BigInt(a.number) < BigInt(b.number);
  if (a.journal_symbol !== b.journal_symbol) return a.journal_symbol < b.journal_symbol;

  return a.entry_id < b.entry_id;
}

/**
 * Applies new entries' receivable movements to the open-item model (see receivables.sql.ts):
 * invoices are inserted, reversals of known invoices cancel them, every other movement changes
 * the customer's credit pool; then each changed group's running sums are recomputed from its
 * first changed invoice (for invoices arriving in order, only the new ones), and the open amounts
 * per due date follow.
 */
export async function applyReceivables(
  em: EntityManager,
  allMoves: readonly ReceivableMove[],
): Promise<void> {
  const moves = allMoves.filter((move) => !Money.fromDecimal(move.net, move.currency).isZero());
  if (moves.length === 0) return;
  const changes = plan(moves, await reversedInvoices(em, moves));
  await write(em, changes);
}

const isInvoice = (move: ReceivableMove) =>
  move.transaction_type === 'invoice' && Money.fromDecimal(move.net, move.currency).isPositive();

type ReversedInvoice = Record<string, unknown> &
  InvoiceKey & {
    version: number;
    ledger_id: string;
    customer_id: string;
    currency: string;
    amount: string;
  };

/** The invoices the batch's reversals point at, by group and entry id. */
async function reversedInvoices(
  em: EntityManager,
  moves: readonly ReceivableMove[],
): Promise<Map<string, ReversedInvoice>> {
  const reversals = moves.filter(
    (move) => move.reverses_entry_id !== null && !isInvoice(move) && move.net.startsWith('-'),
  );
  const reversed = reversals.length
    ? await query<ReversedInvoice>(em, REVERSED_INVOICES, [
        json(
          reversals.map((move) => ({
            version: move.version,
            ledger_id: move.ledger_id,
            customer_id: move.customer_id,
            currency: move.currency,
            entry_id: move.reverses_entry_id,
          })),
        ),
      ])
    : [];
  return new Map(reversed.map((invoice) => [`${groupOf(invoice)}/${invoice.entry_id}`, invoice]));
}

interface Changes {
  invoices: unknown[];
  cancels: unknown[];
  pools: Map<string, { row: ReceivableMove; delta: Money; invoiced: Money; last: string }>;
  dirty: Map<string, { group: ReceivableMove; from: InvoiceKey }>;
}

/** What the moves change: new invoices, cancellations, pool deltas, groups to re-sum. */
function plan(
  moves: readonly ReceivableMove[],
  reversedById: Map<string, ReversedInvoice>,
): Changes {
  const invoices: unknown[] = [];
  const cancels: unknown[] = [];
  const pools = new Map<
    string,
    { row: ReceivableMove; delta: Money; invoiced: Money; last: string }
  >();
  const dirty = new Map<string, { group: ReceivableMove; from: InvoiceKey }>();
  // An invoice and its reversal may arrive in the same batch: the batch's invoices are known
  // before any reversal is planned, whatever the order of the moves.
  for (const move of moves) {
    const key = `${groupOf(move)}/${move.entry_id}`;
    if (isInvoice(move) && !reversedById.has(key))
      reversedById.set(key, { ...move, amount: move.net });
  }
  const touch = (move: ReceivableMove, from: InvoiceKey) => {
    const key = groupOf(move);
    const current = dirty.get(key);
    if (!current || before(from, current.from)) dirty.set(key, { group: move, from });
  };
  for (const move of moves) {
    const net = Money.fromDecimal(move.net, move.currency);
    let credit = Money.zero(move.currency);
    let invoiced = Money.zero(move.currency);
    const target = move.reverses_entry_id
      ? reversedById.get(`${groupOf(move)}/${move.reverses_entry_id}`)
      : undefined;
    if (isInvoice(move)) {
      invoices.push({ ...move, amount: move.net });
      invoiced = net;
      touch(move, move);
    } else if (target && net.isNegative()) {
      const open = Money.fromDecimal(target.amount, move.currency);
      const cancelled = net.negate().compare(open) > 0 ? open : net.negate();
      cancels.push({ ...move, entry_id: target.entry_id, cancelled: cancelled.toString() });
      target.amount = open.minus(cancelled).toString();
      credit = net.negate().minus(cancelled);
      invoiced = cancelled.negate();
      touch(move, target);
    } else {
      credit = net.negate();
    }
    const key = groupOf(move);
    const pool = pools.get(key) ?? {
      row: move,
      delta: Money.zero(move.currency),
      invoiced: Money.zero(move.currency),
      last: move.entry_date,
    };
    pool.delta = pool.delta.plus(credit);
    pool.invoiced = pool.invoiced.plus(invoiced);
    if (move.entry_date > pool.last) pool.last = move.entry_date;
    pools.set(key, pool);
  }
  return { invoices, cancels, pools, dirty };
}

async function write(
  em: EntityManager,
  { invoices, cancels, pools, dirty }: Changes,
): Promise<void> {
  if (invoices.length) await query(em, INSERT_INVOICES, [json(invoices)]);
  if (cancels.length) await query(em, CANCEL_INVOICES, [json(cancels)]);
  await query(em, UPSERT_POOLS, [
    json(
      [...pools.values()].map(({ row, delta, invoiced, last }) => ({
        version: row.version,
        tenant_id: row.tenant_id,
        ledger_id: row.ledger_id,
        customer_id: row.customer_id,
        currency: row.currency,
        delta: delta.toString(),
        invoiced: invoiced.toString(),
        last_date: last,
      })),
    ),
  ]);
  if (dirty.size) {
    await query(em, RECOMPUTE_CUM, [
      json(
        [...dirty.values()].map(({ group, from }) => ({
          version: group.version,
          ledger_id: group.ledger_id,
          customer_id: group.customer_id,
          currency: group.currency,
          from_date: from.entry_date,
          from_number: from.number,
          from_symbol: from.journal_symbol,
          from_entry: from.entry_id,
        })),
      ),
    ]);
  }
  const groups = json(
    [...pools.values()].map(({ row }) => ({
      version: row.version,
      ledger_id: row.ledger_id,
      customer_id: row.customer_id,
      currency: row.currency,
    })),
  );
  await query(em, REFRESH_OPEN_DUES, [groups]);
  await query(em, DROP_CLOSED_DUES, [groups]);
}
