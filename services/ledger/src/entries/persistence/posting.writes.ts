import { type EntityManager } from '@mikro-orm/postgresql';
import { Money } from '@kontor/money';
import { OUTBOX_CHANNEL_PREFIX } from '@kontor/kafka';
import { key, type AcceptedEntry } from '../domain/posting-plan';
import { json, rows } from './sql';

export interface WriteBatch {
  tenantId: string;
  postedBy: string;
  postedAt: Date;
  accepted: readonly AcceptedEntry[];
}

/** Sums per key of the accepted lines, exact (Money), for the running-total upserts. */
function totals(accepted: readonly AcceptedEntry[], perDay: boolean) {
  const sums = new Map<
    string,
    { account_id: string; currency: string; day: string; debit: Money; credit: Money }
  >();
  for (const entry of accepted) {
    entry.command.lines.forEach((line, index) => {
      const accountId = entry.accountIds[index];
      const currency = line.amount.currency.code;
      const day = perDay ? entry.command.entryDate : '';
      const k = key(accountId, currency, day);
      const sum = sums.get(k) ?? {
        account_id: accountId,
        currency,
        day,
        debit: Money.zero(currency),
        credit: Money.zero(currency),
      };
      sum[line.side] = sum[line.side].plus(line.amount);
      sums.set(k, sum);
    });
  }

  return [...sums.values()]
    .sort((a, b) =>
      a.account_id + a.currency + a.day < b.account_id + b.currency + b.day ? -1 : 1,
    )
    .map((s) => ({ ...s, debit: s.debit.toString(), credit: s.credit.toString() }));
}

/** Params of the write statement: counters, entries, lines and running totals as json. */
function writeParams(batch: WriteBatch): unknown[] {
  const { accepted } = batch;
  const journalNumbers = new Map<string, string>();
  const sequences = new Map<string, string>();
  for (const e of accepted) {
    journalNumbers.set(e.journalId, (e.number + 1n).toString());
    sequences.set(e.command.ledgerId, e.ledgerSequence.toString());
  }
  const entries = accepted.map((e) => [
    e.entryId,
    e.command.ledgerId,
    e.journalId,
    e.number.toString(),
    e.ledgerSequence.toString(),
    e.command.entryDate,
    e.command.transactionType,
    e.command.paymentMethod,
    e.command.reference,
    e.command.description,
    e.command.dueDate,
    e.command.source,
    e.command.idempotencyKey,
    e.command.digest.toString('hex'),
    e.command.reversesEntryId,
  ]);
  const lines = accepted.flatMap((e) =>
    e.command.lines.map((line, index) => [
      e.entryId,
      index,
      e.command.ledgerId,
      e.accountIds[index],
      line.side,
      line.amount.toString(),
      line.amount.currency.code,
      line.counterpartyId,
      line.product,
      line.orderId,
      line.dealId,
      line.memo,
      e.command.entryDate,
    ]),
  );

  return [
    json([...journalNumbers]),
    json([...sequences]),
    batch.tenantId,
    batch.postedBy,
    batch.postedAt,
    json(entries),
    batch.tenantId,
    json(lines),
    batch.tenantId,
    json(totals(accepted, false)),
    batch.tenantId,
    json(totals(accepted, true)),
  ];
}

// One statement (one round trip) for the whole batch: data-modifying CTEs all run to
// completion; the foreign keys of the lines are checked at its end, when the entries exist.
// Rows travel as compact json arrays of tuples.
const WRITE_SQL = `
WITH journal_numbers AS (
  UPDATE journals j SET next_number = (v->>1)::bigint
    FROM json_array_elements(?::json) AS v WHERE j.id = (v->>0)::uuid RETURNING 1),
ledger_sequences AS (
  UPDATE ledgers l SET last_sequence = (v->>1)::bigint
    FROM json_array_elements(?::json) AS v WHERE l.id = (v->>0)::uuid RETURNING 1),
new_entries AS (
  INSERT INTO entries (tenant_id, posted_by, posted_at, id, ledger_id, journal_id, number,
      ledger_sequence, entry_date, transaction_type, payment_method, reference, description,
      due_date, source, idempotency_key, request_digest, reverses_entry_id)
  SELECT ?, ?, ?::timestamptz, (r->>0)::uuid, (r->>1)::uuid, (r->>2)::uuid, (r->>3)::bigint,
      (r->>4)::bigint, (r->>5)::date, r->>6, r->>7, r->>8, r->>9, (r->>10)::date, r->>11, r->>12,
      decode(r->>13, 'hex'), (r->>14)::uuid
    FROM json_array_elements(?::json) AS r RETURNING 1),
new_lines AS (
  INSERT INTO entry_lines (tenant_id, entry_id, line_no, ledger_id, account_id, side, amount,
      currency, counterparty_id, product, order_id, deal_id, memo, entry_date)
  SELECT ?, (r->>0)::uuid, (r->>1)::smallint, (r->>2)::uuid, (r->>3)::uuid, r->>4,
      (r->>5)::numeric, r->>6, (r->>7)::uuid, r->>8, r->>9, r->>10, r->>11, (r->>12)::date
    FROM json_array_elements(?::json) AS r RETURNING 1),
balances AS (
  INSERT INTO account_balances AS b (tenant_id, account_id, currency, debit, credit)
  SELECT ?, t.account_id, t.currency, t.debit, t.credit
    FROM json_to_recordset(?::json) AS t(account_id uuid, currency text, debit numeric, credit numeric)
  ON CONFLICT (account_id, currency)
  DO UPDATE SET debit = b.debit + excluded.debit, credit = b.credit + excluded.credit RETURNING 1),
turnovers AS (
  INSERT INTO account_daily_turnovers AS b (tenant_id, account_id, currency, day, debit, credit)
  SELECT ?, t.account_id, t.currency, t.day, t.debit, t.credit
    FROM json_to_recordset(?::json) AS t(account_id uuid, currency text, day date, debit numeric,
      credit numeric)
  ON CONFLICT (account_id, currency, day)
  DO UPDATE SET debit = b.debit + excluded.debit, credit = b.credit + excluded.credit RETURNING 1)
SELECT (SELECT count(*) FROM new_entries)::int AS entries, (SELECT count(*) FROM new_lines)::int AS lines`;

/**
 * Writes the accepted entries, their lines, the journals' and ledgers' counters and the running
 * totals in one statement. Returns once the statement is on its way: await the promise later
 * (the caller encodes the events meanwhile).
 */
export function writeEntries(em: EntityManager, batch: WriteBatch): Promise<unknown> {
  if (batch.accepted.length === 0) return Promise.resolve();

  return rows(em, WRITE_SQL, writeParams(batch));
}

export interface OutboxRow {
  eventId: string;
  key: string;
  payload: Uint8Array;
  headers: Record<string, string>;
}

/**
 * The batch form of `enqueueEvent` (@kontor/kafka): the same outbox columns and headers, one
 * INSERT for all rows (ids in row order) and one NOTIFY for the relay, delivered on commit.
 */
export async function enqueueEvents(
  em: EntityManager,
  topic: string,
  ceType: string,
  events: readonly OutboxRow[],
): Promise<void> {
  if (events.length === 0) return;
  await rows(
    em,
    `WITH inserted AS (
       INSERT INTO outbox (event_id, topic, key, ce_type, payload, headers)
       SELECT t.event_id, ?, t.key, ?, decode(t.payload, 'base64'), t.headers
         FROM json_to_recordset(?::json) AS t(ord int, event_id uuid, key text, payload text, headers jsonb)
        ORDER BY t.ord
       RETURNING id
     )
     SELECT count(*) AS n, pg_notify('${OUTBOX_CHANNEL_PREFIX}' || current_schema(), '') AS notified
       FROM inserted`,
    [
      topic,
      ceType,
      json(
        events.map((e, ord) => ({
          ord,
          event_id: e.eventId,
          key: e.key,
          payload: Buffer.from(
            e.payload.buffer,
            e.payload.byteOffset,
            e.payload.byteLength,
          ).toString('base64'),
          headers: e.headers,
        })),
      ),
    ],
  );
}
