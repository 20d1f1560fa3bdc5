import { type EntityManager } from '@mikro-orm/postgresql';
import { type EntryPosted } from '@kontor/contracts/events/v1/entry_events_pb';
import {
  type LedgerCreated,
  type OrganizationCreated,
} from '@kontor/contracts/events/v1/ledger_events_pb';
import { EntrySide, TransactionType } from '@kontor/contracts/ledger/v1/entry_service_pb';
import { OrganizationKind } from '@kontor/contracts/ledger/v1/organization_service_pb';
import { PermanentEventError } from '@kontor/kafka';
import { rows } from '../database/sql';

/** Entries that give money back for an order: their product-less lines take the order's product. */
const RETURN_TYPES = `'adjustment', 'refund', 'chargeback', 'credit_note'`;

/** "revenue", "chargeback", …: the proto enum name without its prefix, lower case. */
export function transactionTypeName(type: TransactionType): string {
  return (TransactionType[type] ?? 'UNSPECIFIED').toLowerCase();
}

interface LineRow {
  tenant_id: string;
  ledger_id: string;
  entry_id: string;
  line_index: number;
  entry_date: string;
  transaction_type: string;
  reference: string;
  account_code: string;
  side: 'D' | 'C';
  amount: string;
  currency: string;
  counterparty_id: string | null;
  product: string;
  order_id: string;
  deal_tag: string;
  entry_counterparties: string;
  chargeback: boolean;
}

function lineRows(event: EntryPosted): LineRow[] {
  const entry = event.entry;
  if (!entry) throw new PermanentEventError('EntryPosted without an entry');
  const type = transactionTypeName(entry.transactionType);
  const counterparties = [
    ...new Set(entry.lines.map((line) => line.counterpartyId).filter((id) => id !== '')),
  ];

  return entry.lines.map((line, index) => ({
    tenant_id: event.tenantId,
    ledger_id: entry.ledgerId,
    entry_id: entry.id,
    line_index: index,
    entry_date: entry.entryDate,
    transaction_type: type,
    reference: entry.reference,
    account_code: line.accountCode,
    side: line.side === EntrySide.DEBIT ? 'D' : 'C',
    amount: line.amount?.amount ?? '0',
    currency: line.amount?.currency ?? '',
    counterparty_id: line.counterpartyId === '' ? null : line.counterpartyId,
    product: line.product,
    order_id: line.orderId,
    deal_tag: line.dealId,
    entry_counterparties: `{${counterparties.join(',')}}`,
    chargeback: type === 'chargeback',
  }));
}

/** See recordEntries. */
export async function recordEntry(em: EntityManager, event: EntryPosted): Promise<void> {
  await recordEntries(em, [event]);
}

/**
 * Records the lines of EntryPosted events as scope lines, inside the consumer's inbox
 * transaction (so an entry is recorded exactly once; the unique (entry_id, line_index) guards a
 * replay too): one INSERT for the whole group, then two links, because the ledger posts a refund
 * or chargeback as a revenue reversal (an adjustment tagged only with the order) followed by the
 * payment's return:
 * - a line without a product of a return (adjustment, refund, chargeback, credit note) takes the
 *   product of its order's sale when that sale had exactly one, whichever arrives first, so
 *   product-scoped deals see their refunds;
 * - a revenue reversal whose reference is also a chargeback entry's is a chargeback.
 */
export async function recordEntries(em: EntityManager, events: EntryPosted[]): Promise<void> {
  const all = events.flatMap(lineRows);
  if (all.length === 0) return;
  await rows(
    em,
    `INSERT INTO scope_lines (tenant_id, ledger_id, entry_id, line_index, entry_date,
       transaction_type, reference, account_code, side, amount, currency, counterparty_id,
       product, order_id, deal_tag, entry_counterparties, chargeback)
     SELECT r.tenant_id, r.ledger_id, r.entry_id, r.line_index, r.entry_date, r.transaction_type,
       r.reference, r.account_code, r.side, r.amount, r.currency, r.counterparty_id, r.product,
       r.order_id, r.deal_tag, r.entry_counterparties::uuid[], r.chargeback
     FROM json_to_recordset(?::json) AS r(tenant_id uuid, ledger_id uuid, entry_id uuid,
       line_index int, entry_date date, transaction_type text, reference text, account_code text,
       side text, amount numeric, currency text, counterparty_id uuid, product text,
       order_id text, deal_tag text, entry_counterparties text, chargeback boolean)
     ON CONFLICT (entry_id, line_index) DO NOTHING`,
    [JSON.stringify(all)],
  );
  await attributeReturns(em, all);
  await linkChargebacks(em, all);
}

/**
 * Product-less return lines of the group's orders take the order's product if it has one. Most
 * groups are sales: a probe of the return lines still without a product (their own small index)
 * ends those at once, and the update names `order_id <> ''` so the order index can serve it.
 */
async function attributeReturns(em: EntityManager, lines: LineRow[]): Promise<void> {
  const orders = new Map<string, { tenant_id: string; ledger_id: string; order_id: string }>();
  for (const line of lines) {
    if (line.order_id === '') continue;
    orders.set(`${line.ledger_id}|${line.order_id}`, {
      tenant_id: line.tenant_id,
      ledger_id: line.ledger_id,
      order_id: line.order_id,
    });
  }
  if (orders.size === 0) return;
  const keys = JSON.stringify([...orders.values()]);
  const unattributed = `l.product = '' AND l.order_id <> '' AND l.transaction_type IN (${RETURN_TYPES})`;
  const [probe] = await rows<{ found: boolean }>(
    em,
    `SELECT EXISTS (
       SELECT 1 FROM scope_lines l
         JOIN json_to_recordset(?::json) AS k(tenant_id uuid, ledger_id uuid, order_id text)
           ON l.tenant_id = k.tenant_id AND l.ledger_id = k.ledger_id AND l.order_id = k.order_id
        WHERE ${unattributed}) AS found`,
    [keys],
  );
  if (!probe?.found) return;
  await rows(
    em,
    `UPDATE scope_lines l SET product = o.product
       FROM (SELECT s.tenant_id, s.ledger_id, s.order_id, min(s.product) AS product
               FROM scope_lines s
               JOIN json_to_recordset(?::json) AS k(tenant_id uuid, ledger_id uuid, order_id text)
                 ON s.tenant_id = k.tenant_id AND s.ledger_id = k.ledger_id AND s.order_id = k.order_id
              WHERE s.product <> '' AND s.order_id <> ''
              GROUP BY s.tenant_id, s.ledger_id, s.order_id
             HAVING count(DISTINCT s.product) = 1) o
      WHERE l.tenant_id = o.tenant_id AND l.ledger_id = o.ledger_id AND l.order_id = o.order_id
        AND ${unattributed}`,
    [keys],
  );
}

/**
 * Revenue reversals sharing a chargeback entry's reference are chargebacks. The group's
 * references are first matched against chargeback lines only (their own small index), so a group
 * without chargebacks (the usual case) costs a few index probes, not a pass over the reversals.
 */
async function linkChargebacks(em: EntityManager, lines: LineRow[]): Promise<void> {
  const keys = new Map<string, { tenant_id: string; ledger_id: string; reference: string }>();
  for (const line of lines) {
    const kind = line.transaction_type;
    if (line.reference === '' || (kind !== 'chargeback' && kind !== 'adjustment')) continue;
    keys.set(`${line.ledger_id}|${line.reference}`, {
      tenant_id: line.tenant_id,
      ledger_id: line.ledger_id,
      reference: line.reference,
    });
  }
  if (keys.size === 0) return;
  await rows(
    em,
    `WITH charged AS (
       SELECT DISTINCT c.tenant_id, c.ledger_id, c.reference
         FROM json_to_recordset(?::json) AS k(tenant_id uuid, ledger_id uuid, reference text)
         JOIN scope_lines c
           ON c.tenant_id = k.tenant_id AND c.ledger_id = k.ledger_id AND c.reference = k.reference
        WHERE c.transaction_type = 'chargeback' AND c.reference <> '')
     UPDATE scope_lines l SET chargeback = true
       FROM charged k
      WHERE l.tenant_id = k.tenant_id AND l.ledger_id = k.ledger_id AND l.reference = k.reference
        AND l.transaction_type = 'adjustment' AND l.reference <> '' AND NOT l.chargeback`,
    [JSON.stringify([...keys.values()])],
  );
}

/** Keeps the replica of organizations the deal parties are checked against. */
export async function recordOrganization(
  em: EntityManager,
  event: OrganizationCreated,
): Promise<void> {
  const organization = event.organization;
  if (!organization) throw new PermanentEventError('OrganizationCreated without an organization');
  await rows(
    em,
    `INSERT INTO organizations (id, tenant_id, kind, name) VALUES (?, ?, ?, ?)
     ON CONFLICT (id) DO NOTHING`,
    [
      organization.id,
      event.tenantId,
      (OrganizationKind[organization.kind] ?? 'UNSPECIFIED').toLowerCase(),
      organization.name,
    ],
  );
}

/** Keeps the replica of ledgers a deal's scope is checked against. */
export async function recordLedger(em: EntityManager, event: LedgerCreated): Promise<void> {
  await rows(
    em,
    `INSERT INTO ledgers (id, tenant_id, base_currency) VALUES (?, ?, ?)
     ON CONFLICT (id) DO NOTHING`,
    [event.ledgerId, event.tenantId, event.baseCurrency],
  );
}
