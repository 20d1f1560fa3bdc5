import { type EntityManager } from '@mikro-orm/postgresql';
import { Money } from '@kontor/money';
import { type EntrySide, type EntrySource, type TransactionType } from '../domain/entry';
import { type PostedEntry } from '../domain/posted-entry';
import { ids, json, rows, type Row } from './sql';

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
