import { randomUUID } from 'node:crypto';
import { AccountService } from '@kontor/contracts/ledger/v1/account_service_pb';
import { LedgerService } from '@kontor/contracts/ledger/v1/ledger_service_pb';
import {
  OrganizationKind,
  OrganizationService,
} from '@kontor/contracts/ledger/v1/organization_service_pb';
import { PeriodService } from '@kontor/contracts/ledger/v1/period_service_pb';
import { type LedgerHarness, type TestTenant } from './ledger-harness';

/** Journal symbols every book gets. */
export const BOOK_JOURNALS = ['GENERAL', 'SALES', 'BANK', 'CASH', 'NOTE'] as const;
export type BookJournal = (typeof BOOK_JOURNALS)[number];

export interface BookOptions {
  /** Calendar fiscal year: January-December of this year. */
  year: number;
  /** Base currency of the ledger, e.g. "EUR". */
  currency: string;
}

export interface Book {
  ledgerId: string;
  fiscalYearId: string;
  /** Journal id by symbol: journals.SALES, journals.BANK, … */
  journals: Record<BookJournal, string>;
  /** Account id by code of the default chart: accounts['1200'] (receivable), accounts['4000'], … */
  accounts: Record<string, string>;
  /** A customer organization (external id unique per call). */
  customer: { id: string; name: string; externalId: string };
  /** A vendor organization that owns the ledger and has it as its primary ledger. */
  vendor: { id: string; name: string; externalId: string };
}

/**
 * A ready book, made only through the public gRPC APIs: a vendor organization owning a ledger
 * with the default chart (1000 Cash … 5100 Payment processing fees) as its primary ledger, a
 * customer organization, and a fiscal year `year` (12 open months) with the journals GENERAL,
 * SALES, BANK, CASH and NOTE. Safe to call many times per tenant.
 *
 *   const book = await setUpBook(harness, tenant, { year: 2026, currency: 'EUR' });
 */
export async function setUpBook(
  harness: LedgerHarness,
  tenant: TestTenant,
  options: BookOptions,
): Promise<Book> {
  const suffix = randomUUID().slice(0, 8);
  const organizations = harness.client(OrganizationService, tenant.token);
  const { organization: vendor } = await organizations.createOrganization({
    externalId: `vendor-${suffix}`,
    kind: OrganizationKind.VENDOR,
    name: `Vendor ${suffix}`,
  });
  const { organization: customer } = await organizations.createOrganization({
    externalId: `customer-${suffix}`,
    kind: OrganizationKind.CUSTOMER,
    name: `Customer ${suffix}`,
  });
  const { ledger } = await harness.client(LedgerService, tenant.token).createLedger({
    requestId: `book-${suffix}`,
    name: `Book ${suffix}`,
    baseCurrency: options.currency,
    ownerOrganizationId: vendor!.id,
    createDefaultChart: true,
  });
  const ledgerId = ledger!.id;
  await organizations.setPrimaryLedger({ organizationId: vendor!.id, ledgerId });
  const { fiscalYear, journals } = await harness
    .client(PeriodService, tenant.token)
    .createFiscalYear({
      ledgerId,
      name: String(options.year),
      startMonth: `${options.year}-01`,
      monthCount: 12,
      journals: BOOK_JOURNALS.map((symbol) => ({ symbol, name: symbol })),
    });
  const { accounts } = await harness
    .client(AccountService, tenant.token)
    .listAccounts({ ledgerId });

  return {
    ledgerId,
    fiscalYearId: fiscalYear!.id,
    journals: Object.fromEntries(journals.map((j) => [j.symbol, j.id])) as Record<
      BookJournal,
      string
    >,
    accounts: Object.fromEntries(accounts.map((a) => [a.code, a.id])),
    customer: { id: customer!.id, name: customer!.name, externalId: customer!.externalId },
    vendor: { id: vendor!.id, name: vendor!.name, externalId: vendor!.externalId },
  };
}
