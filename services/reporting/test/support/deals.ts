import { randomUUID } from 'node:crypto';
import { create, type MessageInitShape } from '@bufbuild/protobuf';
import { CreateDealRequestSchema, DealService } from '@kontor/contracts/deals/v1/deal_service_pb';
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
import { GrpcCallError, GrpcStatus } from '@kontor/grpc';
import { eventually } from './eventually';
import { type ReportingPlatform, type TestTenant } from './reporting-platform';

/** An organization with its own primary ledger (default chart, fiscal year 2026). */
export interface DealParty {
  organizationId: string;
  name: string;
  ledgerId: string;
}

/** Made only through the ledger's gRPC API, as the deals service's tests make theirs. */
export async function newDealParty(
  platform: ReportingPlatform,
  tenant: TestTenant,
  label: string,
): Promise<DealParty> {
  const suffix = randomUUID().slice(0, 8);
  const organizations = platform.client('ledger', OrganizationService, tenant.token);
  const { organization } = await organizations.createOrganization({
    externalId: `${label}-${suffix}`,
    kind: OrganizationKind.VENDOR,
    name: `${label} ${suffix}`,
  });
  const { ledger } = await platform.client('ledger', LedgerService, tenant.token).createLedger({
    requestId: `book-${suffix}`,
    name: `Book ${suffix}`,
    baseCurrency: 'EUR',
    ownerOrganizationId: organization!.id,
    createDefaultChart: true,
  });
  await organizations.setPrimaryLedger({ organizationId: organization!.id, ledgerId: ledger!.id });
  await platform.client('ledger', PeriodService, tenant.token).createFiscalYear({
    ledgerId: ledger!.id,
    name: '2026',
    startMonth: '2026-01',
    monthCount: 12,
    journals: ['GENERAL', 'SALES', 'BANK'].map((symbol) => ({ symbol, name: symbol })),
  });

  return { organizationId: organization!.id, name: organization!.name, ledgerId: ledger!.id };
}

/** A sale (Dr 1200 / Cr 4000) or a refund (Dr 4000 / Cr 1200) of `amount` EUR. */
export async function postRevenue(
  platform: ReportingPlatform,
  tenant: TestTenant,
  ledgerId: string,
  kind: 'sale' | 'refund',
  date: string,
  amount: string,
): Promise<void> {
  const revenueSide = kind === 'sale' ? EntrySide.CREDIT : EntrySide.DEBIT;
  const otherSide = kind === 'sale' ? EntrySide.DEBIT : EntrySide.CREDIT;
  await platform.client('ledger', EntryService, tenant.token).postEntry({
    entry: {
      idempotencyKey: randomUUID(),
      ledgerId,
      journalSymbol: 'SALES',
      entryDate: date,
      transactionType: kind === 'sale' ? TransactionType.REVENUE : TransactionType.REFUND,
      reference: `ref-${randomUUID().slice(0, 8)}`,
      lines: [
        { accountCode: '4000', side: revenueSide, amount: { amount, currency: 'EUR' } },
        { accountCode: '1200', side: otherSide, amount: { amount, currency: 'EUR' } },
      ],
    },
  });
}

/** CreateDeal, retried while the parties have not reached the deals service's replica yet. */
export async function createDeal(
  platform: ReportingPlatform,
  tenant: TestTenant,
  request: MessageInitShape<typeof CreateDealRequestSchema>,
): Promise<string> {
  const full = create(CreateDealRequestSchema, {
    requestId: randomUUID(),
    currency: 'EUR',
    ...request,
  });
  const { deal } = await eventually(async () => {
    try {
      return await platform.client('deals', DealService, tenant.token).createDeal(full);
    } catch (error) {
      if (error instanceof GrpcCallError && error.code === GrpcStatus.NOT_FOUND) {
        throw new Error('parties not in the deals service yet');
      }
      throw error;
    }
  }, 600);

  return deal!.dealId;
}

/**
 * Finalizes a period once the deals service has seen `entries` scope entries in it (so nothing
 * arrives late). Returns the settlement id.
 */
export async function finalizeWhenSeen(
  platform: ReportingPlatform,
  tenant: TestTenant,
  dealId: string,
  periodStart: string,
  entries: number,
): Promise<string> {
  const deals = platform.client('deals', DealService, tenant.token);
  await eventually(async () => {
    const { settlement } = await deals.previewSettlement({ dealId, periodStart });
    if (settlement?.figures?.entryCount !== BigInt(entries)) {
      throw new Error(`deal ${dealId} ${periodStart}: ${settlement?.figures?.entryCount} entries`);
    }
  }, 600);
  const { settlement } = await deals.finalizeSettlement({ dealId, periodStart });

  return settlement!.settlementId;
}
