import { randomUUID } from 'node:crypto';
import { create, type MessageInitShape } from '@bufbuild/protobuf';
import {
  CreateDealRequestSchema,
  type DealService,
} from '@kontor/contracts/deals/v1/deal_service_pb';
import {
  EntrySide,
  EntryService,
  TransactionType,
} from '@kontor/contracts/ledger/v1/entry_service_pb';
import { LedgerService } from '@kontor/contracts/ledger/v1/ledger_service_pb';
import {
  OrganizationKind,
  OrganizationService,
} from '@kontor/contracts/ledger/v1/organization_service_pb';
import { PeriodService } from '@kontor/contracts/ledger/v1/period_service_pb';
import { GrpcCallError, GrpcStatus, type GrpcClient } from '@kontor/grpc';
import { Money } from '@kontor/money';
import { type DealsHarness, eventually, type TestTenant } from './deals-harness';

export interface Party {
  organizationId: string;
  /** The tenant's own id of it (order and billing events name organizations by it). */
  externalId: string;
  /** Its primary ledger (default chart, fiscal year 2026, journals GENERAL, SALES, BANK). */
  ledgerId: string;
}

/**
 * An organization with its own primary ledger, made only through the ledger's gRPC API: the
 * default chart (1200 receivable, 2000 payable, 4000 sales revenue, 4100 fee revenue, 5000 cost
 * of sales, …) and the twelve open months of `year`.
 */
export async function newParty(
  harness: DealsHarness,
  tenant: TestTenant,
  kind: OrganizationKind = OrganizationKind.VENDOR,
  year = 2026,
): Promise<Party> {
  const suffix = randomUUID().slice(0, 8);
  const organizations = harness.ledger(OrganizationService, tenant.token);
  const { organization } = await organizations.createOrganization({
    externalId: `org-${suffix}`,
    kind,
    name: `Org ${suffix}`,
  });
  const { ledger } = await harness.ledger(LedgerService, tenant.token).createLedger({
    requestId: `book-${suffix}`,
    name: `Book ${suffix}`,
    baseCurrency: 'EUR',
    ownerOrganizationId: organization!.id,
    createDefaultChart: true,
  });
  await organizations.setPrimaryLedger({ organizationId: organization!.id, ledgerId: ledger!.id });
  await harness.ledger(PeriodService, tenant.token).createFiscalYear({
    ledgerId: ledger!.id,
    name: String(year),
    startMonth: `${year}-01`,
    monthCount: 12,
    journals: ['GENERAL', 'SALES', 'BANK'].map((symbol) => ({ symbol, name: symbol })),
  });

  return {
    organizationId: organization!.id,
    externalId: organization!.externalId,
    ledgerId: ledger!.id,
  };
}

export interface SaleLine {
  amount: string;
  product?: string;
}

/**
 * Posts into a ledger through EntryService: a sale (receivable against revenue, one revenue line
 * per product line), a refund (revenue debited back), a cost (5000 against payable) or a fee
 * (5100 against 1300). Returns the entry id.
 */
export async function post(
  harness: DealsHarness,
  tenant: TestTenant,
  ledgerId: string,
  kind: 'sale' | 'refund' | 'chargeback' | 'cost' | 'fee',
  date: string,
  lines: SaleLine[],
  customerId = '',
): Promise<string> {
  const amount = (value: string) => ({ amount: value, currency: 'EUR' });
  const totalText = lines
    .reduce((sum, line) => sum.plus(Money.parse(line.amount, 'EUR')), Money.zero('EUR'))
    .toString();
  const revenueSide = kind === 'sale' ? EntrySide.CREDIT : EntrySide.DEBIT;
  const other = revenueSide === EntrySide.CREDIT ? EntrySide.DEBIT : EntrySide.CREDIT;
  const byKind = {
    sale: { type: TransactionType.REVENUE, code: '4000', against: '1200' },
    refund: { type: TransactionType.REFUND, code: '4000', against: '1200' },
    chargeback: { type: TransactionType.CHARGEBACK, code: '4000', against: '1200' },
    cost: { type: TransactionType.COST, code: '5000', against: '2000' },
    fee: { type: TransactionType.FEE, code: '5100', against: '1300' },
  }[kind];
  const lineSide = kind === 'cost' || kind === 'fee' ? EntrySide.DEBIT : revenueSide;
  const againstSide = kind === 'cost' || kind === 'fee' ? EntrySide.CREDIT : other;
  const { entry } = await harness.ledger(EntryService, tenant.token).postEntry({
    entry: {
      idempotencyKey: randomUUID(),
      ledgerId,
      journalSymbol: 'SALES',
      entryDate: date,
      transactionType: byKind.type,
      reference: `ref-${randomUUID().slice(0, 8)}`,
      lines: [
        ...lines.map((line) => ({
          accountCode: byKind.code,
          side: lineSide,
          amount: amount(line.amount),
          product: line.product ?? '',
        })),
        {
          accountCode: byKind.against,
          side: againstSide,
          amount: amount(totalText),
          counterpartyId: byKind.against === '1200' ? customerId : '',
        },
      ],
    },
  });

  return entry!.id;
}

/**
 * CreateDeal, retried while a party is still unknown to the deals service (organizations reach
 * its replica through ledger.ledgers.v1 a moment after they are created).
 */
export async function createDeal(
  client: GrpcClient<typeof DealService.method>,
  request: MessageInitShape<typeof CreateDealRequestSchema>,
) {
  const full = create(CreateDealRequestSchema, {
    requestId: randomUUID(),
    name: 'Test deal',
    currency: 'EUR',
    ...request,
  });

  return eventually(async () => {
    try {
      return await client.createDeal(full);
    } catch (error) {
      if (error instanceof GrpcCallError && error.code === GrpcStatus.NOT_FOUND) return undefined;
      throw error;
    }
  }, 'the deal parties to reach the deals service');
}

/** Waits until the deals service has recorded `count` scope entries for the period. */
export async function previewWhenSeen(
  client: GrpcClient<typeof DealService.method>,
  dealId: string,
  periodStart: string,
  count: number,
) {
  return eventually(async () => {
    const { settlement } = await client.previewSettlement({ dealId, periodStart });

    return settlement?.figures?.entryCount === BigInt(count) ? settlement : undefined;
  }, `${count} entries in ${periodStart} of deal ${dealId}`);
}
