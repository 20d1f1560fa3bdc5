import { type EntityManager } from '@mikro-orm/postgresql';
import { Money } from '@kontor/money';
import { type BalanceLimit } from '../domain/entry';
import { key, type PostingLookups } from '../domain/posting-plan';
import { inList, json, rows } from './sql';

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

async function lockLedgers(em: EntityManager, tenantId: string, need: Need) {
  const found = await rows<{ id: string; last_sequence: string }>(
    em,
    `SELECT id::text, last_sequence::text FROM ledgers
      WHERE tenant_id = ? AND ${inList('id')} ORDER BY id FOR UPDATE`,
    [tenantId, json(need.ledgerIds)],
  );

  return new Map(found.map((r) => [r.id, { lastSequence: BigInt(r.last_sequence) }]));
}

// Everything else in one round trip, each kind as a json array of tuples. It must be its own
// statement AFTER the lock: a statement that waited for the lock would still read with the
// snapshot it took before waiting.
const READ_ALL_SQL = `
WITH keys AS (SELECT * FROM json_to_recordset(?::json) AS k(ledger_id uuid, key text)),
     codes AS (SELECT * FROM json_to_recordset(?::json) AS k(ledger_id uuid, code text)),
     wanted_months AS (SELECT * FROM json_to_recordset(?::json) AS k(ledger_id uuid, month date)),
     locked AS (SELECT value::uuid AS id FROM json_array_elements_text(?::json)),
     acc AS (
       SELECT a.ledger_id, a.code, a.id, a.balance_limit
         FROM accounts a JOIN codes k ON a.ledger_id = k.ledger_id AND a.code = k.code
        WHERE a.tenant_id = ?),
     mon AS (
       SELECT m.ledger_id, m.month, m.status, m.fiscal_year_id
         FROM fiscal_months m JOIN wanted_months k ON m.ledger_id = k.ledger_id AND m.month = k.month
        WHERE m.tenant_id = ?)
SELECT
  (SELECT json_agg(json_build_array(e.ledger_id, e.idempotency_key, e.id, encode(e.request_digest, 'hex')))
     FROM entries e JOIN keys k ON e.ledger_id = k.ledger_id AND e.idempotency_key = k.key
    WHERE e.ledger_id IN (SELECT id FROM locked)) AS existing,
  (SELECT json_agg(json_build_array(ledger_id, code, id, balance_limit)) FROM acc) AS accounts,
  (SELECT json_agg(json_build_array(ledger_id, month, status, fiscal_year_id)) FROM mon) AS months,
  (SELECT json_agg(json_build_array(j.fiscal_year_id, j.id, j.symbol, j.next_number::text))
     FROM journals j
    WHERE j.fiscal_year_id IN (SELECT fiscal_year_id FROM mon)
      AND lower(j.symbol) IN (SELECT lower(value) FROM json_array_elements_text(?::json))) AS journals,
  (SELECT json_agg(o.id) FROM organizations o
    WHERE o.tenant_id = ? AND ${inList('o.id')}) AS counterparties,
  (SELECT json_agg(json_build_array(b.account_id, b.currency, (b.debit - b.credit)::text))
     FROM account_balances b JOIN acc a ON a.id = b.account_id
    WHERE a.balance_limit IS NOT NULL) AS balances,
  (SELECT json_agg(r.reverses_entry_id) FROM entries r WHERE ${inList('r.reverses_entry_id')}) AS reversed`;

type Tuple = string[];

interface ReadAllRow {
  existing: Tuple[] | null;
  accounts: Tuple[] | null;
  months: Tuple[] | null;
  journals: Tuple[] | null;
  counterparties: string[] | null;
  balances: Tuple[] | null;
  reversed: string[] | null;
}

/**
 * Locks the ledgers (in id order, so two batches never deadlock), then reads everything posting
 * needs in one statement. Two round trips whatever the batch size. Must run in the posting
 * transaction.
 */
export async function readLookups(
  em: EntityManager,
  request: LookupRequest,
): Promise<PostingLookups> {
  const { tenantId } = request;
  const need = needs(request);
  const ledgers = await lockLedgers(em, tenantId, need);
  const [all] = await rows<ReadAllRow & Record<string, unknown>>(em, READ_ALL_SQL, [
    json(need.keys),
    json(need.accounts),
    json(need.months),
    json([...ledgers.keys()]),
    tenantId,
    tenantId,
    json(need.symbols),
    tenantId,
    json(need.counterparties),
    json(need.reverses),
  ]);
  const tuples = (value: Tuple[] | null) => value ?? [];

  return {
    ledgers,
    existing: new Map(
      tuples(all.existing).map(([ledgerId, k, id, digest]) => [
        key(ledgerId, k),
        { entryId: id, digest: Buffer.from(digest, 'hex') },
      ]),
    ),
    accounts: new Map(
      tuples(all.accounts).map(([ledgerId, code, id, limit]) => [
        key(ledgerId, code),
        { id, balanceLimit: limit as BalanceLimit | null },
      ]),
    ),
    months: new Map(
      tuples(all.months).map(([ledgerId, month, status, fiscalYearId]) => [
        key(ledgerId, month),
        { status, fiscalYearId },
      ]),
    ),
    journals: new Map(
      tuples(all.journals).map(([fiscalYearId, id, symbol, next]) => [
        key(fiscalYearId, symbol.toUpperCase()),
        { id, symbol, nextNumber: BigInt(next) },
      ]),
    ),
    counterparties: new Set(all.counterparties ?? []),
    balances: new Map(
      tuples(all.balances).map(([accountId, currency, balance]) => [
        key(accountId, currency),
        Money.fromDecimal(balance, currency),
      ]),
    ),
    reversed: new Set(all.reversed ?? []),
  };
}
