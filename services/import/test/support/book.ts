import { randomUUID } from 'node:crypto';
import { LedgerService } from '@kontor/contracts/ledger/v1/ledger_service_pb';
import {
  OrganizationKind,
  OrganizationService,
} from '@kontor/contracts/ledger/v1/organization_service_pb';
import { PeriodService } from '@kontor/contracts/ledger/v1/period_service_pb';
import { type ImportPlatform, type TestTenant } from './import-platform';

export interface Book {
  ledgerId: string;
  /** Organization external ids: a partner whose primary ledger is this book. */
  partnerExternalId: string;
  partnerId: string;
}

/**
 * A ledger with the default chart (1100 Bank, 4000 Sales revenue, 4100 Marketplace fee revenue,
 * 5000 Cost of sales, …), fiscal year 2026 open with journals BANK and SALES, and a partner
 * organization that has it as its primary ledger; made through the ledger's public gRPC API.
 */
export async function setUpBook(platform: ImportPlatform, tenant: TestTenant): Promise<Book> {
  const suffix = randomUUID().slice(0, 8);
  const at = platform.ledgerAddress;
  const organizations = platform.client(OrganizationService, tenant.token, at);
  const { organization: partner } = await organizations.createOrganization({
    externalId: `partner-${suffix}`,
    kind: OrganizationKind.PARTNER,
    name: `Partner ${suffix}`,
  });
  const { ledger } = await platform.client(LedgerService, tenant.token, at).createLedger({
    requestId: `book-${suffix}`,
    name: `Book ${suffix}`,
    baseCurrency: 'EUR',
    ownerOrganizationId: partner!.id,
    createDefaultChart: true,
  });
  await organizations.setPrimaryLedger({ organizationId: partner!.id, ledgerId: ledger!.id });
  await platform.client(PeriodService, tenant.token, at).createFiscalYear({
    ledgerId: ledger!.id,
    name: '2026',
    startMonth: '2026-01',
    monthCount: 12,
    journals: [
      { symbol: 'BANK', name: 'Bank' },
      { symbol: 'SALES', name: 'Sales' },
    ],
  });

  return { ledgerId: ledger!.id, partnerExternalId: partner!.externalId, partnerId: partner!.id };
}

/** Another organization of the tenant (no primary ledger unless given). */
export async function addOrganization(
  platform: ImportPlatform,
  tenant: TestTenant,
  externalId: string,
  primaryLedgerId?: string,
): Promise<string> {
  const organizations = platform.client(OrganizationService, tenant.token, platform.ledgerAddress);
  const { organization } = await organizations.createOrganization({
    externalId,
    kind: OrganizationKind.VENDOR,
    name: externalId,
  });
  if (primaryLedgerId) {
    await organizations.setPrimaryLedger({
      organizationId: organization!.id,
      ledgerId: primaryLedgerId,
    });
  }

  return organization!.id;
}
