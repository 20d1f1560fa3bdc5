import { type EntityManager } from '@mikro-orm/postgresql';
import { Money } from '@kontor/money';
import { OUTBOX_CHANNEL_PREFIX } from '@kontor/kafka';
import {
  type BalanceLimit,
  type EntrySide,
  type EntrySource,
  type TransactionType,
} from '../domain/entry';
import { key, type AcceptedEntry, type PostingLookups } from '../domain/posting-plan';
import { type PostedEntry } from '../domain/posted-entry';

// Set-based SQL of the posting engine. Every statement takes its rows as ONE json parameter
// (json_to_recordset), so a batch of 1000 entries costs the same handful of round trips as one.

const json = (value: unknown): string => JSON.stringify(value);
const ids = (values: Iterable<string>): string => json([...new Set(values)]);

interface Need {
  ledgerIds: string[];
  keys: { ledger_id: string; key: string }[];
  accounts: { ledger_id: string; code: string }[];
  months: { ledger_id: string; month: string }[];
  symbols: string[];
  counterparties: string[];
  reverses: string[];
}

export interface LookupRequest {
  tenantId: string;
  commands: readonly {
    ledgerId: string;
    idempotencyKey: string;
    entryDate: string;
    journalSymbol: string;
    reversesEntryId: string | null;
    lines: readonly { accountCode: string; counterpartyId: string | null }[];
  }[];
}

function needs(request: LookupRequest): Need {
  const need: Need = {
    ledgerIds: [],
    keys: [],
    accounts: [],
    months: [],
    symbols: [],
    counterparties: [],
    reverses: [],
  };
  const seen = new Set<string>();
  const once = (k: string) => !seen.has(k) && !!seen.add(k);
  for (const c of request.commands) {
    if (once(key('l', c.ledgerId))) need.ledgerIds.push(c.ledgerId);
    need.keys.push({ ledger_id: c.ledgerId, key: c.idempotencyKey });
    const month = `${c.entryDate.slice(0, 7)}-01`;
    if (once(key('m', c.ledgerId, month))) need.months.push({ ledger_id: c.ledgerId, month });
    if (once(key('s', c.journalSymbol))) need.symbols.push(c.journalSymbol);
    if (c.reversesEntryId !== null) need.reverses.push(c.reversesEntryId);
    for (const line of c.lines) {
      if (once(key('a', c.ledgerId, line.accountCode))) {
        need.accounts.push({ ledger_id: c.ledgerId, code: line.accountCode });
      }
      if (line.counterpartyId !== null && once(key('c', line.counterpartyId))) {
        need.counterparties.push(line.counterpartyId);
      }
    }
  }

  return need;
}

type Row = Record<string, unknown>;

async function rows<T extends Row>(
  em: EntityManager,
  sql: string,
  params: unknown[],
): Promise<T[]> {
  return em.execute<T[]>(sql, params);
}

const inList = (column: string) =>
  `${column} IN (SELECT value::uuid FROM json_array_elements_text(?::json))`;

async function lockLedgers(em: EntityManager, tenantId: string, need: Need) {
  const found = await rows<{ id: string; last_sequence: string }>(
    em,
    `SELECT id::text, last_sequence::text FROM ledgers
      WHERE tenant_id = ? AND ${inList('id')} ORDER BY id FOR UPDATE`,
    [tenantId, json(need.ledgerIds)],
  );

  return new Map(found.map((r) => [r.id, { lastSequence: BigInt(r.last_sequence) }]));
}

async function readExisting(em: EntityManager, need: Need, locked: Iterable<string>) {
  const found = await rows<{ ledger_id: string; key: string; id: string; digest: Buffer }>(
    em,
    `SELECT e.ledger_id::text, e.idempotency_key AS key, e.id::text, e.request_digest AS digest
       FROM entries e JOIN json_to_recordset(?::json) AS k(ledger_id uuid, key text)
         ON e.ledger_id = k.ledger_id AND e.idempotency_key = k.key
      WHERE ${inList('e.ledger_id')}`,
    [json(need.keys), ids(locked)],
  );

  return new Map(found.map((r) => [key(r.ledger_id, r.key), { entryId: r.id, digest: r.digest }]));
}

async function readAccounts(em: EntityManager, tenantId: string, need: Need) {
  const found = await rows<{
    ledger_id: string;
    code: string;
    id: string;
    balance_limit: BalanceLimit | null;
  }>(
    em,
    `SELECT a.ledger_id::text, a.code, a.id::text, a.balance_limit
       FROM accounts a JOIN json_to_recordset(?::json) AS k(ledger_id uuid, code text)
         ON a.ledger_id = k.ledger_id AND a.code = k.code
      WHERE a.tenant_id = ?`,
    [json(need.accounts), tenantId],
  );

  return new Map(
    found.map((r) => [key(r.ledger_id, r.code), { id: r.id, balanceLimit: r.balance_limit }]),
  );
}

/** Months of the entry dates and the journals of their fiscal years. */
async function readPeriods(em: EntityManager, tenantId: string, need: Need) {
  const months = await rows<{
    ledger_id: string;
    month: string;
    status: string;
    fiscal_year_id: string;
  }>(
    em,
    `SELECT m.ledger_id::text, m.month::text, m.status, m.fiscal_year_id::text
       FROM fiscal_months m JOIN json_to_recordset(?::json) AS k(ledger_id uuid, month date)
         ON m.ledger_id = k.ledger_id AND m.month = k.month
      WHERE m.tenant_id = ?`,
    [json(need.months), tenantId],
  );
  const journals = await rows<{
    fiscal_year_id: string;
    id: string;
    symbol: string;
    next_number: string;
  }>(
    em,
    `SELECT j.fiscal_year_id::text, j.id::text, j.symbol, j.next_number::text
       FROM journals j
      WHERE ${inList('j.fiscal_year_id')}
        AND lower(j.symbol) IN (SELECT lower(value) FROM json_array_elements_text(?::json))`,
    [ids(months.map((m) => m.fiscal_year_id)), json(need.symbols)],
  );

  return {
    months: new Map(
      months.map((r) => [
        key(r.ledger_id, r.month),
        { status: r.status, fiscalYearId: r.fiscal_year_id },
      ]),
    ),
    journals: new Map(
      journals.map((r) => [
        key(r.fiscal_year_id, r.symbol.toUpperCase()),
        { id: r.id, symbol: r.symbol, nextNumber: BigInt(r.next_number) },
      ]),
    ),
  };
}

async function readIds(em: EntityManager, sql: string, params: unknown[], wanted: unknown[]) {
  if (wanted.length === 0) return new Set<string>();
  const found = await rows<{ id: string }>(em, sql, params);

  return new Set(found.map((r) => r.id));
}

async function readBalances(em: EntityManager, accountIds: string[]) {
  const found = accountIds.length
    ? await rows<{ account_id: string; currency: string; balance: string }>(
        em,
        `SELECT account_id::text, currency, (debit - credit)::text AS balance
           FROM account_balances WHERE ${inList('account_id')}`,
        [ids(accountIds)],
      )
    : [];

  return new Map(
    found.map((r) => [key(r.account_id, r.currency), Money.fromDecimal(r.balance, r.currency)]),
  );
}

/**
 * Locks the ledgers (in id order, so two batches never deadlock) and reads everything posting
 * needs, one query per kind. Must run in the posting transaction.
 */
export async function readLookups(
  em: EntityManager,
  request: LookupRequest,
): Promise<PostingLookups> {
  const { tenantId } = request;
  const need = needs(request);
  const ledgers = await lockLedgers(em, tenantId, need);
  const existing = await readExisting(em, need, ledgers.keys());
  const accounts = await readAccounts(em, tenantId, need);
  const { months, journals } = await readPeriods(em, tenantId, need);
  const counterparties = await readIds(
    em,
    `SELECT id::text FROM organizations WHERE tenant_id = ? AND ${inList('id')}`,
    [tenantId, ids(need.counterparties)],
    need.counterparties,
  );
  const limited = [...accounts.values()].filter((a) => a.balanceLimit !== null).map((a) => a.id);
  const balances = await readBalances(em, limited);
  const reversed = await readIds(
    em,
    `SELECT reverses_entry_id::text AS id FROM entries WHERE ${inList('reverses_entry_id')}`,
    [ids(need.reverses)],
    need.reverses,
  );

  return { ledgers, existing, accounts, months, journals, counterparties, balances, reversed };
}

export interface WriteBatch {
  tenantId: string;
  postedBy: string;
  postedAt: Date;
  accepted: readonly AcceptedEntry[];
  lookups: PostingLookups;
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

/** Journals' next numbers and ledgers' last sequences after the batch. */
async function bumpCounters(em: EntityManager, accepted: readonly AcceptedEntry[]) {
  const journalNumbers = new Map<string, string>();
  for (const e of accepted) journalNumbers.set(e.journalId, (e.number + 1n).toString());
  await em.execute(
    `UPDATE journals j SET next_number = v.next_number
       FROM json_to_recordset(?::json) AS v(id uuid, next_number bigint) WHERE j.id = v.id`,
    [json([...journalNumbers].map(([id, next]) => ({ id, next_number: next })))],
  );
  const sequences = new Map<string, string>();
  for (const e of accepted) sequences.set(e.command.ledgerId, e.ledgerSequence.toString());
  await em.execute(
    `UPDATE ledgers l SET last_sequence = v.last_sequence
       FROM json_to_recordset(?::json) AS v(id uuid, last_sequence bigint) WHERE l.id = v.id`,
    [json([...sequences].map(([id, last]) => ({ id, last_sequence: last })))],
  );
}

async function insertEntries(em: EntityManager, batch: WriteBatch) {
  const { tenantId, accepted } = batch;
  await em.execute(
    `INSERT INTO entries (id, tenant_id, ledger_id, journal_id, number, ledger_sequence, entry_date,
        transaction_type, payment_method, reference, description, due_date, source, idempotency_key,
        request_digest, posted_by, reverses_entry_id, posted_at)
     SELECT t.id, ?, t.ledger_id, t.journal_id, t.number, t.ledger_sequence, t.entry_date,
        t.transaction_type, t.payment_method, t.reference, t.description, t.due_date, t.source,
        t.idempotency_key, decode(t.digest, 'hex'), ?, t.reverses_entry_id, ?
       FROM json_to_recordset(?::json) AS t(id uuid, ledger_id uuid, journal_id uuid, number bigint,
        ledger_sequence bigint, entry_date date, transaction_type text, payment_method text,
        reference text, description text, due_date date, source text, idempotency_key text,
        digest text, reverses_entry_id uuid)`,
    [
      tenantId,
      batch.postedBy,
      batch.postedAt,
      json(
        accepted.map((e) => ({
          id: e.entryId,
          ledger_id: e.command.ledgerId,
          journal_id: e.journalId,
          number: e.number.toString(),
          ledger_sequence: e.ledgerSequence.toString(),
          entry_date: e.command.entryDate,
          transaction_type: e.command.transactionType,
          payment_method: e.command.paymentMethod,
          reference: e.command.reference,
          description: e.command.description,
          due_date: e.command.dueDate,
          source: e.command.source,
          idempotency_key: e.command.idempotencyKey,
          digest: e.command.digest.toString('hex'),
          reverses_entry_id: e.command.reversesEntryId,
        })),
      ),
    ],
  );
}

async function insertLines(
  em: EntityManager,
  tenantId: string,
  accepted: readonly AcceptedEntry[],
) {
  // Lines as compact json arrays: one element per line.
  const lineRows = accepted.flatMap((e) =>
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
  await em.execute(
    `INSERT INTO entry_lines (entry_id, line_no, tenant_id, ledger_id, account_id, side, amount,
        currency, counterparty_id, product, order_id, deal_id, memo, entry_date)
     SELECT (r->>0)::uuid, (r->>1)::smallint, ?, (r->>2)::uuid, (r->>3)::uuid, r->>4,
        (r->>5)::numeric, r->>6, (r->>7)::uuid, r->>8, r->>9, r->>10, r->>11, (r->>12)::date
       FROM json_array_elements(?::json) AS r`,
    [tenantId, json(lineRows)],
  );
}

async function upsertTotals(
  em: EntityManager,
  tenantId: string,
  accepted: readonly AcceptedEntry[],
) {
  await em.execute(
    `INSERT INTO account_balances AS b (account_id, currency, tenant_id, debit, credit)
     SELECT t.account_id, t.currency, ?, t.debit, t.credit
       FROM json_to_recordset(?::json) AS t(account_id uuid, currency text, debit numeric, credit numeric)
     ON CONFLICT (account_id, currency)
     DO UPDATE SET debit = b.debit + excluded.debit, credit = b.credit + excluded.credit`,
    [tenantId, json(totals(accepted, false))],
  );
  await em.execute(
    `INSERT INTO account_daily_turnovers AS b (account_id, currency, day, tenant_id, debit, credit)
     SELECT t.account_id, t.currency, t.day, ?, t.debit, t.credit
       FROM json_to_recordset(?::json) AS t(account_id uuid, currency text, day date, debit numeric,
        credit numeric)
     ON CONFLICT (account_id, currency, day)
     DO UPDATE SET debit = b.debit + excluded.debit, credit = b.credit + excluded.credit`,
    [tenantId, json(totals(accepted, true))],
  );
}

/** Writes the accepted entries, their lines, counters and running totals: six statements. */
export async function writeEntries(em: EntityManager, batch: WriteBatch): Promise<void> {
  if (batch.accepted.length === 0) return;
  await bumpCounters(em, batch.accepted);
  await insertEntries(em, batch);
  await insertLines(em, batch.tenantId, batch.accepted);
  await upsertTotals(em, batch.tenantId, batch.accepted);
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
  await em.execute(
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

interface EntryRow extends Row {
  id: string;
  ledger_id: string;
  journal_symbol: string;
  number: string;
  ledger_sequence: string;
  entry_date: string;
  transaction_type: TransactionType;
  payment_method: string | null;
  reference: string | null;
  description: string | null;
  due_date: string | null;
  source: EntrySource;
  idempotency_key: string;
  posted_by: string;
  reverses_entry_id: string | null;
  posted_at: Date | string;
}

interface LineRow extends Row {
  entry_id: string;
  account_code: string;
  side: EntrySide;
  amount: string;
  currency: string;
  counterparty_id: string | null;
  product: string | null;
  order_id: string | null;
  deal_id: string | null;
  memo: string | null;
}

/** Entries of the tenant with their lines, keyed by id (missing ids are absent). */
export async function loadEntries(
  em: EntityManager,
  tenantId: string,
  entryIds: readonly string[],
): Promise<Map<string, PostedEntry>> {
  if (entryIds.length === 0) return new Map();
  const entries = await rows<EntryRow>(
    em,
    `SELECT e.id::text, e.ledger_id::text, j.symbol AS journal_symbol, e.number::text,
        e.ledger_sequence::text, e.entry_date::text, e.transaction_type, e.payment_method,
        e.reference, e.description, e.due_date::text, e.source, e.idempotency_key, e.posted_by,
        e.reverses_entry_id::text, e.posted_at
       FROM entries e JOIN journals j ON j.id = e.journal_id
      WHERE e.tenant_id = ? AND e.id IN (SELECT value::uuid FROM json_array_elements_text(?::json))`,
    [tenantId, ids(entryIds)],
  );
  const lines = await rows<LineRow>(
    em,
    `SELECT l.entry_id::text, a.code AS account_code, l.side, l.amount::text, l.currency,
        l.counterparty_id::text, l.product, l.order_id, l.deal_id, l.memo
       FROM entry_lines l JOIN accounts a ON a.id = l.account_id
      WHERE l.tenant_id = ? AND l.entry_id IN (SELECT value::uuid FROM json_array_elements_text(?::json))
      ORDER BY l.entry_id, l.line_no`,
    [tenantId, json(entries.map((e) => e.id))],
  );
  const byEntry = new Map<string, PostedEntry>(
    entries.map((e) => [
      e.id,
      {
        id: e.id,
        ledgerId: e.ledger_id,
        journalSymbol: e.journal_symbol,
        number: BigInt(e.number),
        ledgerSequence: BigInt(e.ledger_sequence),
        entryDate: e.entry_date,
        transactionType: e.transaction_type,
        paymentMethod: e.payment_method,
        reference: e.reference,
        description: e.description,
        dueDate: e.due_date,
        source: e.source,
        idempotencyKey: e.idempotency_key,
        postedBy: e.posted_by,
        reversesEntryId: e.reverses_entry_id,
        postedAt: new Date(e.posted_at),
        lines: [],
      },
    ]),
  );
  for (const l of lines) {
    byEntry.get(l.entry_id)?.lines.push({
      accountCode: l.account_code,
      side: l.side,
      amount: Money.fromDecimal(l.amount, l.currency),
      counterpartyId: l.counterparty_id,
      product: l.product,
      orderId: l.order_id,
      dealId: l.deal_id,
      memo: l.memo,
    });
  }

  return byEntry;
}

/** The ledger id of an entry of the tenant, or undefined. */
export async function findEntryLedger(
  em: EntityManager,
  tenantId: string,
  entryId: string,
): Promise<string | undefined> {
  const found = await rows<{ ledger_id: string }>(
    em,
    'SELECT ledger_id::text FROM entries WHERE tenant_id = ? AND id = ?',
    [tenantId, entryId],
  );

  return found[0]?.ledger_id;
}
