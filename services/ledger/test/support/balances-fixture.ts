import { randomUUID } from 'node:crypto';
import { type MessageInitShape } from '@bufbuild/protobuf';
import {
  EntryService,
  EntrySide,
  TransactionType,
  type EntryInput,
  type EntryInputSchema,
} from '@kontor/contracts/ledger/v1/entry_service_pb';
import {
  OrganizationKind,
  OrganizationService,
} from '@kontor/contracts/ledger/v1/organization_service_pb';
import { PeriodService } from '@kontor/contracts/ledger/v1/period_service_pb';
import { BOOK_JOURNALS, setUpBook } from './books';
import { type LedgerHarness, type TestTenant } from './ledger-harness';

/** An entry to post, without the ledger and idempotency key the fixture fills in. */
export type EntryDraft = Omit<
  Exclude<MessageInitShape<typeof EntryInputSchema>, EntryInput>,
  '$typeName' | 'ledgerId' | 'idempotencyKey'
>;

export interface BalancesBook {
  tenant: TestTenant;
  ledgerId: string;
  /** "Ada Customer". */
  customerId: string;
  /** "Bob Customer". */
  otherCustomerId: string;
  vendorId: string;
  /** Posts an entry through EntryService (the real write path), returns its id. */
  post(entry: EntryDraft): Promise<string>;
}

/**
 * A book made only through the public gRPC APIs: setUpBook's ledger with the default chart
 * (1100 bank, 1200 receivable, 2000 payable, 3000 equity, 4000 revenue, 5000 cost …) and the
 * journals GENERAL, SALES, BANK, CASH, NOTE in a fiscal year per entry of `years` (all months
 * open), two customers (Ada, Bob) and the owning vendor. Entries are posted with EntryService,
 * so every read is proven against the real write path (lines, daily turnovers).
 */
export async function setUpBalancesBook(
  harness: LedgerHarness,
  tenant: TestTenant,
  options: { years?: number[]; currency?: string } = {},
): Promise<BalancesBook> {
  const [first, ...later] = options.years ?? [2026];
  const book = await setUpBook(harness, tenant, {
    year: first ?? 2026,
    currency: options.currency ?? 'EUR',
  });
  const periods = harness.client(PeriodService, tenant.token);
  for (const year of later) {
    await periods.createFiscalYear({
      ledgerId: book.ledgerId,
      name: String(year),
      startMonth: `${year}-01`,
      monthCount: 12,
      journals: BOOK_JOURNALS.map((symbol) => ({ symbol, name: symbol })),
    });
  }
  const organizations = harness.client(OrganizationService, tenant.token);
  const customer = async (name: string) => {
    const { organization } = await organizations.createOrganization({
      externalId: `${name}-${randomUUID().slice(0, 8)}`,
      kind: OrganizationKind.CUSTOMER,
      name,
    });
    return organization!.id;
  };
  const customerId = await customer('Ada Customer');
  const otherCustomerId = await customer('Bob Customer');
  const entries = harness.client(EntryService, tenant.token);

  const post = async (entry: EntryDraft) => {
    const { entry: posted } = await entries.postEntry({
      entry: { ...entry, ledgerId: book.ledgerId, idempotencyKey: randomUUID() },
    });
    return posted!.id;
  };

  return {
    tenant,
    ledgerId: book.ledgerId,
    customerId,
    otherCustomerId,
    vendorId: book.vendor.id,
    post,
  };
}

/** Builders of the usual entries, in the proto's shape. */
export const line = (
  accountCode: string,
  side: 'debit' | 'credit',
  amount: string,
  options: { currency?: string; counterpartyId?: string } = {},
) => ({
  accountCode,
  side: side === 'debit' ? EntrySide.DEBIT : EntrySide.CREDIT,
  amount: { amount, currency: options.currency ?? 'EUR' },
  counterpartyId: options.counterpartyId ?? '',
});

export function invoice(
  customerId: string,
  date: string,
  amount: string,
  reference: string,
  currency = 'EUR',
) {
  return {
    journalSymbol: 'SALES',
    entryDate: date,
    transactionType: TransactionType.INVOICE,
    reference,
    lines: [
      line('1200', 'debit', amount, { currency, counterpartyId: customerId }),
      line('4000', 'credit', amount, { currency }),
    ],
  };
}

export function payment(
  customerId: string,
  date: string,
  amount: string,
  reference = '',
  currency = 'EUR',
) {
  return {
    journalSymbol: 'BANK',
    entryDate: date,
    transactionType: TransactionType.PAYMENT,
    paymentMethod: 'card',
    reference,
    lines: [
      line('1100', 'debit', amount, { currency }),
      line('1200', 'credit', amount, { currency, counterpartyId: customerId }),
    ],
  };
}

export function creditNote(customerId: string, date: string, amount: string, reference = '') {
  return {
    journalSymbol: 'NOTE',
    entryDate: date,
    transactionType: TransactionType.CREDIT_NOTE,
    reference,
    lines: [
      line('4000', 'debit', amount),
      line('1200', 'credit', amount, { counterpartyId: customerId }),
    ],
  };
}

export function refund(customerId: string, date: string, amount: string) {
  return {
    journalSymbol: 'BANK',
    entryDate: date,
    transactionType: TransactionType.REFUND,
    paymentMethod: 'bank_transfer',
    lines: [
      line('1200', 'debit', amount, { counterpartyId: customerId }),
      line('1100', 'credit', amount),
    ],
  };
}
