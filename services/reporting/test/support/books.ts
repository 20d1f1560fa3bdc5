import { randomUUID } from 'node:crypto';
import {
  EntryService,
  EntrySide,
  TransactionType,
} from '@kontor/contracts/ledger/v1/entry_service_pb';
import { LedgerService } from '@kontor/contracts/ledger/v1/ledger_service_pb';
import {
  OrganizationKind,
  OrganizationService,
} from '@kontor/contracts/ledger/v1/organization_service_pb';
import { PeriodService } from '@kontor/contracts/ledger/v1/period_service_pb';
import { type MessageInitShape } from '@bufbuild/protobuf';
import { type EntryInputSchema } from '@kontor/contracts/ledger/v1/entry_service_pb';
import { type ReportingPlatform, type TestTenant } from './reporting-platform';

export interface Party {
  id: string;
  name: string;
}

export interface TestBook {
  ledgerId: string;
  year: number;
  vendor: Party;
  customers: Party[];
  suppliers: Party[];
  /** Entries posted so far through postAll (= the ledger's last ledger_sequence). */
  posted: number;
}

/** A line as the tests write it: account, side, amount "12.34", currency, optional extras. */
export interface PlainLine {
  account: string;
  debit: boolean;
  amount: string;
  currency: string;
  counterpartyId?: string;
  product?: string;
}

export interface PlainEntry {
  key: string;
  journal: string;
  date: string;
  dueDate?: string;
  type: TransactionType;
  paymentMethod?: string;
  reference: string;
  description: string;
  lines: PlainLine[];
}

/**
 * A book made through the ledger's public gRPC: a vendor owning a ledger with the default chart
 * (1000 Cash … 5100 Payment processing fees), customers, suppliers and a calendar fiscal year
 * with the journals GENERAL, SALES, BANK, CASH and NOTE.
 */
export async function setUpBook(
  platform: ReportingPlatform,
  tenant: TestTenant,
  options: { year: number; currency: string; customers?: number; suppliers?: number },
): Promise<TestBook> {
  const suffix = randomUUID().slice(0, 8);
  const organizations = platform.client('ledger', OrganizationService, tenant.token);
  const party = async (kind: OrganizationKind, name: string): Promise<Party> => {
    const { organization } = await organizations.createOrganization({
      externalId: `${name}-${suffix}`.toLowerCase().replace(/\s/g, '-'),
      kind,
      name: `${name} ${suffix}`,
    });

    return { id: organization!.id, name: organization!.name };
  };
  const vendor = await party(OrganizationKind.VENDOR, 'Vendor');
  const customers: Party[] = [];
  for (let i = 0; i < (options.customers ?? 3); i++) {
    customers.push(await party(OrganizationKind.CUSTOMER, `Customer ${i + 1}`));
  }
  const suppliers: Party[] = [];
  for (let i = 0; i < (options.suppliers ?? 1); i++) {
    suppliers.push(await party(OrganizationKind.VENDOR, `Supplier ${i + 1}`));
  }
  const { ledger } = await platform.client('ledger', LedgerService, tenant.token).createLedger({
    requestId: `book-${suffix}`,
    name: `Book ${suffix}`,
    baseCurrency: options.currency,
    ownerOrganizationId: vendor.id,
    createDefaultChart: true,
  });
  await platform.client('ledger', PeriodService, tenant.token).createFiscalYear({
    ledgerId: ledger!.id,
    name: String(options.year),
    startMonth: `${options.year}-01`,
    monthCount: 12,
    journals: ['GENERAL', 'SALES', 'BANK', 'CASH', 'NOTE'].map((symbol) => ({
      symbol,
      name: symbol,
    })),
  });

  return { ledgerId: ledger!.id, year: options.year, vendor, customers, suppliers, posted: 0 };
}

export function toEntryInput(
  book: TestBook,
  entry: PlainEntry,
): MessageInitShape<typeof EntryInputSchema> {
  return {
    idempotencyKey: entry.key,
    ledgerId: book.ledgerId,
    journalSymbol: entry.journal,
    entryDate: entry.date,
    dueDate: entry.dueDate ?? '',
    transactionType: entry.type,
    paymentMethod: entry.paymentMethod ?? '',
    reference: entry.reference,
    description: entry.description,
    lines: entry.lines.map((line) => ({
      accountCode: line.account,
      side: line.debit ? EntrySide.DEBIT : EntrySide.CREDIT,
      amount: { amount: line.amount, currency: line.currency },
      counterpartyId: line.counterpartyId ?? '',
      product: line.product ?? '',
    })),
  };
}

/** Posts entries in order (batches of 200); every one must be accepted. Returns their ids. */
export async function postAll(
  platform: ReportingPlatform,
  tenant: TestTenant,
  book: TestBook,
  entries: readonly PlainEntry[],
): Promise<string[]> {
  const client = platform.client('ledger', EntryService, tenant.token);
  const ids: string[] = [];
  for (let i = 0; i < entries.length; i += 200) {
    const batch = entries.slice(i, i + 200).map((entry) => toEntryInput(book, entry));
    const { results } = await client.postEntries({ entries: batch });
    for (const [index, result] of results.entries()) {
      if (!result.entry) {
        throw new Error(
          `entry ${entries[i + index].key} rejected: ${result.rejection?.message ?? 'unknown'}`,
        );
      }
      if (!result.replayed) book.posted++;
      ids.push(result.entry.id);
    }
  }

  return ids;
}

/** A deterministic pseudo-random generator (mulberry32), so a failing seed can be replayed. */
export function random(seed: number): () => number {
  let state = seed >>> 0;

  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);

    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const pad = (n: number) => String(n).padStart(2, '0');

/** An amount "1.00"–"2000.99" as a decimal string (built from integers, never a float sum). */
function amountOf(next: () => number): string {
  const cents = 100 + Math.floor(next() * 200_000);

  return `${Math.floor(cents / 100)}.${pad(cents % 100)}`;
}

/**
 * Random but plausible entries over the book's year: invoices (receivable / revenue by product,
 * with due dates), payments, refunds, credit notes, supplier costs and fees, mostly in the base
 * currency and some in a second one.
 */
export function randomEntries(
  book: TestBook,
  options: { seed: number; count: number; currency: string; otherCurrency?: string },
): PlainEntry[] {
  const next = random(options.seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)];
  const products = ['desk', 'room', 'coffee'];
  const entries: PlainEntry[] = [];
  for (let i = 0; i < options.count; i++) {
    const month = 1 + Math.floor(next() * 12);
    const day = 1 + Math.floor(next() * 28);
    const date = `${book.year}-${pad(month)}-${pad(day)}`;
    const currency =
      options.otherCurrency && next() < 0.15 ? options.otherCurrency : options.currency;
    const amount = amountOf(next);
    const customer = pick(book.customers);
    const kind = pick([
      'invoice',
      'invoice',
      'payment',
      'payment',
      'refund',
      'credit',
      'cost',
      'fee',
    ]);
    const base = { key: `e-${options.seed}-${i}`, date, reference: `R-${options.seed}-${i}` };
    const line = (account: string, debit: boolean, extra: Partial<PlainLine> = {}): PlainLine => ({
      account,
      debit,
      amount,
      currency,
      ...extra,
    });
    switch (kind) {
      case 'invoice': {
        const dueDay = Math.min(28, day + 14);
        entries.push({
          ...base,
          journal: 'SALES',
          type: TransactionType.INVOICE,
          dueDate: `${book.year}-${pad(month)}-${pad(dueDay)}`,
          description: `Invoice ${i}`,
          lines: [
            line('1200', true, { counterpartyId: customer.id }),
            line('4000', false, { counterpartyId: customer.id, product: pick(products) }),
          ],
        });
        break;
      }
      case 'payment':
        entries.push({
          ...base,
          journal: 'BANK',
          type: TransactionType.PAYMENT,
          paymentMethod: pick(['card', 'transfer']),
          description: `Payment ${i}`,
          lines: [line('1100', true), line('1200', false, { counterpartyId: customer.id })],
        });
        break;
      case 'refund':
        entries.push({
          ...base,
          journal: 'BANK',
          type: TransactionType.REFUND,
          paymentMethod: 'transfer',
          description: `Refund ${i}`,
          lines: [line('1200', true, { counterpartyId: customer.id }), line('1100', false)],
        });
        break;
      case 'credit':
        entries.push({
          ...base,
          journal: 'NOTE',
          type: TransactionType.CREDIT_NOTE,
          description: `Credit note ${i}`,
          lines: [
            line('4000', true, { counterpartyId: customer.id, product: pick(products) }),
            line('1200', false, { counterpartyId: customer.id }),
          ],
        });
        break;
      case 'cost': {
        const supplier = pick(book.suppliers);
        entries.push({
          ...base,
          journal: 'GENERAL',
          type: TransactionType.COST,
          description: `Cost ${i}`,
          lines: [
            line('5000', true, { counterpartyId: supplier.id, product: pick(products) }),
            line('2000', false, { counterpartyId: supplier.id }),
          ],
        });
        break;
      }
      default:
        entries.push({
          ...base,
          journal: 'BANK',
          type: TransactionType.FEE,
          description: `Fee ${i}`,
          lines: [line('5100', true), line('1100', false)],
        });
    }
  }

  return entries;
}

/** The same entries as an hledger journal (accounts "a<code>", amounts with the commodity). */
export function hledgerJournal(entries: readonly PlainEntry[]): string {
  return entries
    .map((entry) => {
      const header = `${entry.date} (${entry.journal}) ${entry.description}`;
      const postings = entry.lines.map(
        (line) => `    a${line.account}  ${line.debit ? '' : '-'}${line.amount} ${line.currency}`,
      );

      return [header, ...postings].join('\n');
    })
    .join('\n\n')
    .concat('\n');
}
