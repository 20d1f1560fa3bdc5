import { create, type MessageInitShape } from '@bufbuild/protobuf';
import {
  BasisKind,
  DealService,
  DealTermsSchema,
  NegativePeriodHandling,
  PartyRole,
  SettlementFrequency,
  SettlementStatus,
  type GetProfitSharingReportResponse as DealsReport,
} from '@kontor/contracts/deals/v1/deal_service_pb';
import {
  ExportFormat,
  ReportingService,
  type GetProfitSharingReportRequestSchema,
  type GetProfitSharingReportResponse,
} from '@kontor/contracts/reporting/v1/reporting_service_pb';
import { GrpcStatus } from '@kontor/grpc';
import { Money } from '@kontor/money';
import { parseCsv } from '../src/reports/domain/csv';
import {
  createDeal,
  finalizeWhenSeen,
  newDealParty,
  postRevenue,
  type DealParty,
} from './support/deals';
import { runRebuild } from './support/rebuild';
import {
  startReportingPlatform,
  type ReportingPlatform,
  type TestTenant,
} from './support/reporting-platform';

// The profit-sharing report on the real stack: parties and deals through the deals gRPC API,
// revenue posted through the ledger, periods finalized in the deals service → deals.settlements.v1
// → the reporting read model. The report must equal the deals service's own report for the
// finalized periods to the cent.

let platform: ReportingPlatform;
let tenant: TestTenant;
let other: TestTenant;
let payer: DealParty;
let partnerA: DealParty;
let partnerB: DealParty;
/** 70/30, 10% of gross revenue, carry forward. */
let resellerDeal: string;
/** 60/40, 10% of net revenue, claw-back. */
let clawBackDeal: string;
const settlementIds: string[] = [];

const reporting = (who: TestTenant = tenant) =>
  platform.client('reporting', ReportingService, who.token);
const deals = () => platform.client('deals', DealService, tenant.token);
const Q1 = { fromDate: '2026-01-01', toDate: '2026-03-31' };

beforeAll(async () => {
  platform = await startReportingPlatform({ deals: true });
  [tenant, other] = await Promise.all([platform.newTenant(), platform.newTenant()]);
  [payer, partnerA, partnerB] = await Promise.all([
    newDealParty(platform, tenant, 'payer'),
    newDealParty(platform, tenant, 'partner-a'),
    newDealParty(platform, tenant, 'partner-b'),
  ]);
  // January 3,333.33 of sales, February 1,000.00, March a refund of 3,000.00.
  await postRevenue(platform, tenant, payer.ledgerId, 'sale', '2026-01-05', '1111.11');
  await postRevenue(platform, tenant, payer.ledgerId, 'sale', '2026-01-25', '2222.22');
  await postRevenue(platform, tenant, payer.ledgerId, 'sale', '2026-02-05', '1000.00');
  await postRevenue(platform, tenant, payer.ledgerId, 'refund', '2026-03-10', '3000.00');
  const common = {
    payerOrganizationId: payer.organizationId,
    frequency: SettlementFrequency.MONTHLY,
    effectiveFrom: '2026-01-01',
  };
  resellerDeal = await createDeal(platform, tenant, {
    ...common,
    name: 'Reseller 70/30',
    terms: create(DealTermsSchema, {
      payees: [
        { organizationId: partnerA.organizationId, role: PartyRole.PARTNER, sharePercent: '70' },
        { organizationId: partnerB.organizationId, role: PartyRole.SUPPLIER, sharePercent: '30' },
      ],
      scope: { ledgerIds: [payer.ledgerId] },
      basis: BasisKind.GROSS_REVENUE,
      flatPercent: '10',
      negativePeriod: NegativePeriodHandling.CARRY_FORWARD,
    }),
  });
  clawBackDeal = await createDeal(platform, tenant, {
    ...common,
    name: 'Claw-back 60/40',
    terms: create(DealTermsSchema, {
      payees: [
        { organizationId: partnerA.organizationId, role: PartyRole.PARTNER, sharePercent: '60' },
        { organizationId: partnerB.organizationId, role: PartyRole.VENDOR, sharePercent: '40' },
      ],
      scope: { ledgerIds: [payer.ledgerId] },
      basis: BasisKind.NET_REVENUE,
      flatPercent: '10',
      negativePeriod: NegativePeriodHandling.CLAW_BACK,
    }),
  });
  for (const dealId of [resellerDeal, clawBackDeal]) {
    for (const [month, entries] of [
      ['2026-01-01', 2],
      ['2026-02-01', 1],
      ['2026-03-01', 1],
    ] as const) {
      settlementIds.push(await finalizeWhenSeen(platform, tenant, dealId, month, entries));
    }
  }
}, 300_000);

afterAll(() => platform?.stop());

/** The report once every finalized settlement of the test is in (read-your-writes). */
async function report(request: MessageInitShape<typeof GetProfitSharingReportRequestSchema>) {
  return reporting().getProfitSharingReport({ minSettlementId: settlementIds.at(-1)!, ...request });
}

const byKey =
  <T>(key: (item: T) => string) =>
  (a: T, b: T) =>
    key(a) < key(b) ? -1 : 1;

/** The reporting rows in the deals report's terms, sorted. */
function comparableRows(response: GetProfitSharingReportResponse) {
  return response.rows
    .map((row) => ({
      dealId: row.dealId,
      dealName: row.dealName,
      payer: row.payerOrganizationId,
      periodStart: row.periodStart,
      periodLabel: row.periodLabel,
      payee: row.payeeOrganizationId,
      role: row.role,
      total: row.settlementTotal?.amount,
      amount: row.amount?.amount,
      currency: row.amount?.currency,
    }))
    .sort(byKey((row) => `${row.dealId}|${row.periodStart}|${row.payee}`));
}

/** The deals service's finalized rows, the same way. */
function dealsRows(response: DealsReport) {
  return response.rows
    .filter((row) => row.status === SettlementStatus.FINALIZED)
    .map((row) => ({
      dealId: row.dealId,
      dealName: row.dealName,
      payer: row.payerOrganizationId,
      periodStart: row.periodStart,
      periodLabel: row.periodLabel,
      payee: row.organizationId,
      role: PartyRole[row.role].toLowerCase(),
      total: row.total?.amount,
      amount: row.amount?.amount,
      currency: row.amount?.currency,
    }))
    .sort(byKey((row) => `${row.dealId}|${row.periodStart}|${row.payee}`));
}

const comparableTotals = (response: GetProfitSharingReportResponse) =>
  response.totals
    .map((total) => ({
      organizationId: total.organizationId,
      received: total.received?.amount,
      paid: total.paid?.amount,
    }))
    .sort(byKey((total) => total.organizationId));

const dealsTotals = (response: DealsReport) =>
  response.totals
    .map((total) => ({
      organizationId: total.organizationId,
      received: total.received?.amount,
      paid: total.paid?.amount,
    }))
    .sort(byKey((total) => total.organizationId));

describe('GetProfitSharingReport', () => {
  it('equals the deals service’s own report per deal to the cent', async () => {
    for (const dealId of [resellerDeal, clawBackDeal]) {
      const ours = await report({ dealId, ...Q1 });
      const theirs = await deals().getProfitSharingReport({ dealId, ...Q1 });

      expect(comparableRows(ours)).toEqual(dealsRows(theirs));
      expect(comparableRows(ours)).toHaveLength(6);
      expect(comparableTotals(ours)).toEqual(dealsTotals(theirs));
    }
  });

  it('equals the deals service’s report per organization, payer and payee alike', async () => {
    for (const party of [payer, partnerA, partnerB]) {
      const request = { organizationId: party.organizationId, ...Q1 };
      const ours = await report(request);
      const theirs = await deals().getProfitSharingReport(request);

      expect(comparableRows(ours)).toEqual(dealsRows(theirs));
      expect(comparableTotals(ours)).toEqual(dealsTotals(theirs));
    }
  });

  it('splits each period as hand-computed, shares summing to the settlement total', async () => {
    const { rows } = await report({ dealId: resellerDeal, ...Q1 });

    // 10% of 3,333.33 = 333.33 → 233.33 + 100.00; February 100.00 → 70.00 + 30.00; March 0.
    expect(rows.map((row) => [row.periodLabel, row.role, row.amount?.amount])).toEqual([
      ['2026-01', 'partner', '233.33'],
      ['2026-01', 'supplier', '100.00'],
      ['2026-02', 'partner', '70.00'],
      ['2026-02', 'supplier', '30.00'],
      ['2026-03', 'partner', '0.00'],
      ['2026-03', 'supplier', '0.00'],
    ]);
    expect(rows[0]).toMatchObject({
      dealName: 'Reseller 70/30',
      periodStart: '2026-01-01',
      periodEnd: '2026-01-31',
      payerOrganizationId: payer.organizationId,
      payerOrganizationName: payer.name,
      payeeOrganizationId: partnerA.organizationId,
      payeeOrganizationName: partnerA.name,
      settlementTotal: { amount: '333.33', currency: 'EUR' },
    });
    expect(rows[0].finalizeTime?.seconds).toBeGreaterThan(0n);
  });

  it('reports a claw-back period as negative shares and a negative total', async () => {
    const { rows } = await report({
      dealId: clawBackDeal,
      fromDate: '2026-03-01',
      toDate: '2026-03-31',
    });

    // March: net revenue −3,000.00, 10% = −300.00 → −180.00 + −120.00.
    expect(rows.map((row) => [row.role, row.amount?.amount, row.settlementTotal?.amount])).toEqual([
      ['partner', '-180.00', '-300.00'],
      ['vendor', '-120.00', '-300.00'],
    ]);
  });

  it('totals each organization per currency: received as payee, paid as payer, net', async () => {
    const { totals } = await report({ organizationId: partnerA.organizationId, ...Q1 });
    const payerTotals = await report({ organizationId: payer.organizationId, ...Q1 });

    // Partner A: 233.33 + 70.00 + 0.00 (reseller) + 200.00 + 60.00 − 180.00 (claw-back).
    expect(totals).toEqual([
      expect.objectContaining({
        organizationId: partnerA.organizationId,
        organizationName: partnerA.name,
        currency: 'EUR',
        received: expect.objectContaining({ amount: '383.33' }),
        paid: expect.objectContaining({ amount: '0.00' }),
        net: expect.objectContaining({ amount: '383.33' }),
      }),
    ]);
    // The payer pays every settlement: 433.33 + 333.33 + 100.00 − 300.00.
    expect(
      payerTotals.totals.map((t) => [t.received?.amount, t.paid?.amount, t.net?.amount]),
    ).toEqual([['0.00', '566.66', '-566.66']]);
    // Every share of the payer's deals sums to what it paid.
    const shares = payerTotals.rows.reduce(
      (sum, row) => sum.plus(Money.parse(row.amount!.amount, 'EUR')),
      Money.zero('EUR'),
    );
    expect(shares.toString()).toBe('566.66');
  });

  it('selects periods by start date within the range and by currency', async () => {
    const february = await report({
      dealId: resellerDeal,
      fromDate: '2026-02-01',
      toDate: '2026-02-01',
    });
    const usd = await report({ dealId: resellerDeal, ...Q1, currency: 'USD' });

    expect(february.rows.map((row) => row.periodLabel)).toEqual(['2026-02', '2026-02']);
    expect(usd.rows).toEqual([]);
    expect(usd.totals).toEqual([]);
  });

  it('says how current it is: the tenant’s settlements and the latest finalize time', async () => {
    const { freshness } = await report({ dealId: resellerDeal, ...Q1 });

    expect(freshness?.settlementCount).toBe(6n);
    expect(freshness?.lastFinalizeTime?.seconds).toBeGreaterThan(0n);
  });

  it('keeps tenants apart: another tenant sees nothing of these deals and organizations', async () => {
    const foreignDeal = await reporting(other).getProfitSharingReport({
      dealId: resellerDeal,
      ...Q1,
    });

    expect(foreignDeal.rows).toEqual([]);
    expect(foreignDeal.totals).toEqual([]);
    expect(foreignDeal.freshness?.settlementCount).toBe(0n);
    await expect(
      reporting(other).getProfitSharingReport({ organizationId: payer.organizationId, ...Q1 }),
    ).rejects.toMatchObject({
      code: GrpcStatus.NOT_FOUND,
      fieldViolations: [expect.objectContaining({ field: 'organization_id' })],
    });
  });

  it.each([
    ['neither deal nor organization', { ...Q1 }, 'deal_id'],
    [
      'both deal and organization',
      {
        dealId: '00000000-0000-4000-8000-000000000001',
        organizationId: '00000000-0000-4000-8000-000000000002',
        ...Q1,
      },
      'organization_id',
    ],
    ['a deal id that is not a UUID', { dealId: 'deal-1', ...Q1 }, 'deal_id'],
    [
      'an inverted range',
      {
        dealId: '00000000-0000-4000-8000-000000000001',
        fromDate: '2026-03-01',
        toDate: '2026-01-31',
      },
      'to_date',
    ],
    [
      'an impossible date',
      {
        dealId: '00000000-0000-4000-8000-000000000001',
        fromDate: '2026-02-30',
        toDate: '2026-03-31',
      },
      'from_date',
    ],
    [
      'a missing to_date',
      { dealId: '00000000-0000-4000-8000-000000000001', fromDate: '2026-01-01' },
      'to_date',
    ],
    [
      'a lower-case currency',
      { dealId: '00000000-0000-4000-8000-000000000001', ...Q1, currency: 'eur' },
      'currency',
    ],
  ])('rejects %s with INVALID_ARGUMENT naming the field', async (_, request, field) => {
    await expect(reporting().getProfitSharingReport(request)).rejects.toMatchObject({
      code: GrpcStatus.INVALID_ARGUMENT,
      fieldViolations: [expect.objectContaining({ field })],
    });
  });

  it('exports the report as CSV whose rows and totals match the rpc', async () => {
    const request = {
      organizationId: partnerB.organizationId,
      ...Q1,
      minSettlementId: settlementIds.at(-1)!,
    };
    const chunks = [];
    for await (const chunk of reporting().exportReport({
      format: ExportFormat.CSV,
      report: { case: 'profitSharing', value: request },
    })) {
      chunks.push(chunk);
    }
    const csv = parseCsv(Buffer.concat(chunks.map((chunk) => chunk.data)).toString('utf8'));
    const { rows, totals } = await report(request);
    const totalsHeader = csv.findIndex((line) => line[0] === 'Organization id');

    expect(chunks[0].fileName).toBe(`profit-sharing-${partnerB.organizationId}.csv`);
    expect(csv.slice(1, totalsHeader).map((line) => [line[0], line[3], line[7], line[11]])).toEqual(
      rows.map((row) => [row.dealId, row.periodStart, row.payeeOrganizationId, row.amount?.amount]),
    );
    expect(csv.slice(totalsHeader + 1).map((line) => line.slice(3))).toEqual(
      totals.map((t) => [t.received?.amount, t.paid?.amount, t.net?.amount]),
    );
  });

  it('stores each finalized settlement once, with one row per share', async () => {
    const [stored] = await platform.query<{ settlements: string; shares: string }>(
      `SELECT (SELECT count(*) FROM reporting.rm_settlements s WHERE s.tenant_id = $1
                 AND s.version = (SELECT version FROM reporting.model_versions WHERE state = 'active'))::text
                 AS settlements,
              (SELECT count(*) FROM reporting.rm_settlement_shares s WHERE s.tenant_id = $1
                 AND s.version = (SELECT version FROM reporting.model_versions WHERE state = 'active'))::text
                 AS shares`,
      [tenant.id],
    );

    expect(stored).toEqual({ settlements: '6', shares: '12' });
  });

  // Last: it swaps a new model version in.
  it('rebuilds from the topics (deals.settlements.v1 included) into an identical report', async () => {
    const snapshot = async () => ({
      reseller: await report({ dealId: resellerDeal, ...Q1 }),
      clawBack: await report({ dealId: clawBackDeal, ...Q1 }),
      partnerB: await report({ organizationId: partnerB.organizationId, ...Q1 }),
    });
    const live = await snapshot();
    const { code, output } = await runRebuild(platform.database);

    expect({ code, output: code === 0 ? '' : output }).toEqual({ code: 0, output: '' });
    expect(await snapshot()).toEqual(live);
  });
});
