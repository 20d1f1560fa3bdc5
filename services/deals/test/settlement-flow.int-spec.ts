import { create } from '@bufbuild/protobuf';
import {
  BasisKind,
  DealTermsSchema,
  NegativePeriodHandling,
  PartyRole,
  SettlementFrequency,
  SettlementStatus,
} from '@kontor/contracts/deals/v1/deal_service_pb';
import { BalanceService } from '@kontor/contracts/ledger/v1/balance_service_pb';
import { createDeal, newParty, post, previewWhenSeen, type Party } from './support/books';
import {
  eventually,
  HARNESS_START_TIMEOUT_MS,
  startDealsHarness,
  type DealsHarness,
  type TestTenant,
} from './support/deals-harness';

// The whole flow on the real stack: entries posted in the ledger → scope lines in deals →
// settlement → finalize → deals.settlements.v1 → payable/receivable entries in the parties'
// primary ledgers, exactly once, also across a restart of the deals service.

let harness: DealsHarness;
let tenant: TestTenant;
let payer: Party;
let partnerA: Party;
let partnerB: Party;
let dealId: string;

beforeAll(async () => {
  harness = await startDealsHarness();
  tenant = await harness.newTenant();
  [payer, partnerA, partnerB] = await Promise.all([
    newParty(harness, tenant),
    newParty(harness, tenant),
    newParty(harness, tenant),
  ]);
  // January 1,111.11 + 2,222.22 = 3,333.33 of sales; February 1,000.00.
  await post(harness, tenant, payer.ledgerId, 'sale', '2026-01-05', [{ amount: '1111.11' }]);
  await post(harness, tenant, payer.ledgerId, 'sale', '2026-01-25', [{ amount: '2222.22' }]);
  await post(harness, tenant, payer.ledgerId, 'sale', '2026-02-05', [{ amount: '1000.00' }]);
  const { deal } = await createDeal(harness.deals(tenant.token), {
    name: 'Reseller 70/30',
    payerOrganizationId: payer.organizationId,
    frequency: SettlementFrequency.MONTHLY,
    effectiveFrom: '2026-01-01',
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
  dealId = deal!.dealId;
}, HARNESS_START_TIMEOUT_MS);

afterAll(async () => {
  await harness?.stop();
});

async function balance(ledgerId: string, accountCode: string, counterpartyId: string) {
  const { balances } = await harness
    .ledger(BalanceService, tenant.token)
    .getAccountBalance({ ledgerId, accountCode, counterpartyId });

  return balances[0]?.balance?.amount ?? '0.00';
}

/** Waits until an account balance reaches `expected` (entries arrive through Kafka). */
async function balanceReaches(
  ledgerId: string,
  code: string,
  counterparty: string,
  expected: string,
) {
  return eventually(async () => {
    const found = await balance(ledgerId, code, counterparty);

    return found === expected ? found : undefined;
  }, `balance ${expected} on ${code} of ledger ${ledgerId}`);
}

describe('finalizing a settlement', () => {
  it('locks January and posts the payable and receivables into the parties’ ledgers once', async () => {
    // 10% of 3,333.33 = 333.333 → 333.33; 70% = 233.331, 30% = 99.999 → 233.33 + 100.00.
    const client = harness.deals(tenant.token);
    await previewWhenSeen(client, dealId, '2026-01-01', 2);
    const { settlement, replayed } = await client.finalizeSettlement({
      dealId,
      periodStart: '2026-01-01',
    });
    const again = await client.finalizeSettlement({ dealId, periodStart: '2026-01-01' });

    expect(replayed).toBe(false);
    expect(settlement?.status).toBe(SettlementStatus.FINALIZED);
    expect(settlement?.total?.amount).toBe('333.33');
    expect(settlement?.parties.map((p) => p.amount?.amount)).toEqual(['233.33', '100.00']);
    expect(again.replayed).toBe(true);
    expect(again.settlement?.settlementId).toBe(settlement?.settlementId);
    // Payer: payable to each payee (credit balance), cost of sales 333.33.
    await balanceReaches(payer.ledgerId, '2000', partnerA.organizationId, '-233.33');
    await balanceReaches(payer.ledgerId, '2000', partnerB.organizationId, '-100.00');
    expect(await balance(payer.ledgerId, '5000', '')).toBe('333.33');
    // Payees: receivable from the payer, revenue share earned.
    await balanceReaches(partnerA.ledgerId, '1200', payer.organizationId, '233.33');
    await balanceReaches(partnerB.ledgerId, '1200', payer.organizationId, '100.00');
    expect(await balance(partnerB.ledgerId, '4100', '')).toBe('-100.00');
  });

  it('shows each party its statement with the entries the basis came from', async () => {
    const { settlement, party, entries } = await harness
      .deals(tenant.token)
      .getSettlementStatement({
        dealId,
        periodStart: '2026-01-01',
        organizationId: partnerB.organizationId,
      });

    expect(settlement?.status).toBe(SettlementStatus.FINALIZED);
    expect(party?.amount?.amount).toBe('100.00');
    expect(entries.map((e) => [e.entryDate, e.revenue?.amount, e.late])).toEqual([
      ['2026-01-05', '1111.11', false],
      ['2026-01-25', '2222.22', false],
    ]);
  });

  it('pages the statement’s entries', async () => {
    const client = harness.deals(tenant.token);
    const request = {
      dealId,
      periodStart: '2026-01-01',
      organizationId: partnerA.organizationId,
      pageSize: 1,
    };
    const first = await client.getSettlementStatement(request);
    const second = await client.getSettlementStatement({
      ...request,
      pageToken: first.nextPageToken,
    });

    expect(first.entries.map((e) => e.entryDate)).toEqual(['2026-01-05']);
    expect(second.entries.map((e) => e.entryDate)).toEqual(['2026-01-25']);
    expect(second.nextPageToken).toBe('');
  });

  it('refuses to finalize out of order or a period that has not ended', async () => {
    const client = harness.deals(tenant.token);

    await expect(
      client.finalizeSettlement({ dealId, periodStart: '2026-03-01' }),
    ).rejects.toMatchObject({
      code: 9, // FAILED_PRECONDITION
      message: expect.stringContaining('finalize 2026-02 first'),
    });
    await expect(
      client.finalizeSettlement({ dealId, periodStart: '2099-01-01' }),
    ).rejects.toMatchObject({
      code: 9,
      message: expect.stringContaining('has not ended'),
    });
  });

  it('puts a late January entry into February’s settlement and leaves January as finalized', async () => {
    // Late: 500.00 dated January 30 after January was finalized. January recomputed:
    // 10% of 3,833.33 = 383.33, minus the 333.33 settled = 50.00 adjustment in February.
    // February: 10% of 1,000.00 = 100.00 + 50.00 = 150.00 → 105.00 + 45.00.
    await post(harness, tenant, payer.ledgerId, 'sale', '2026-01-30', [{ amount: '500.00' }]);
    const client = harness.deals(tenant.token);
    const statement = await eventually(async () => {
      const found = await client.getSettlementStatement({
        dealId,
        periodStart: '2026-01-01',
        organizationId: partnerA.organizationId,
      });

      return found.entries.length === 3 ? found : undefined;
    }, 'the late entry in January’s statement');
    const february = await previewWhenSeen(client, dealId, '2026-02-01', 1);

    expect(statement.settlement?.total?.amount).toBe('333.33');
    expect(statement.entries.map((e) => e.late)).toEqual([false, false, true]);
    expect(
      february.lateAdjustments.map((a) => [a.periodStart, a.amount?.amount, a.entryCount]),
    ).toEqual([['2026-01-01', '50.00', 1n]]);
    expect(february.total?.amount).toBe('150.00');
    expect(february.parties.map((p) => p.amount?.amount)).toEqual(['105.00', '45.00']);
  });

  it('finalizes February after a restart of the deals service, and every settlement posts exactly once', async () => {
    await harness.restartDeals();
    const client = harness.deals(tenant.token);
    const { settlement } = await client.finalizeSettlement({ dealId, periodStart: '2026-02-01' });

    expect(settlement?.total?.amount).toBe('150.00');
    // January 233.33 + February 105.00; events of one deal keep their order, so a duplicate of
    // January's would have posted before February's.
    await balanceReaches(partnerA.ledgerId, '1200', payer.organizationId, '338.33');
    await balanceReaches(payer.ledgerId, '2000', partnerB.organizationId, '-145.00');
    const posted = await harness.query<{ count: string }>(
      `SELECT count(*) AS count FROM ledger.entries WHERE source = 'settlement'`,
    );
    // Two settlements × two payees × (payer side + payee side).
    expect(posted[0]?.count).toBe('8');
  });

  it('reports profit sharing per deal and across the organization’s deals', async () => {
    const client = harness.deals(tenant.token);
    const perDeal = await client.getProfitSharingReport({
      dealId,
      fromDate: '2026-01-01',
      toDate: '2026-02-28',
    });
    const perOrganization = await client.getProfitSharingReport({
      organizationId: partnerA.organizationId,
      fromDate: '2026-01-01',
      toDate: '2026-03-31',
    });

    expect(perDeal.rows.map((r) => [r.periodLabel, r.status, r.amount?.amount])).toEqual([
      ['2026-01', SettlementStatus.FINALIZED, '233.33'],
      ['2026-01', SettlementStatus.FINALIZED, '100.00'],
      ['2026-02', SettlementStatus.FINALIZED, '105.00'],
      ['2026-02', SettlementStatus.FINALIZED, '45.00'],
    ]);
    expect(perOrganization.rows.map((r) => [r.periodLabel, r.status, r.amount?.amount])).toEqual([
      ['2026-01', SettlementStatus.FINALIZED, '233.33'],
      ['2026-02', SettlementStatus.FINALIZED, '105.00'],
      ['2026-03', SettlementStatus.PREVIEW, '0.00'],
    ]);
    expect(perOrganization.totals.map((t) => [t.organizationId, t.received?.amount])).toEqual([
      [partnerA.organizationId, '338.33'],
    ]);
  });
});

describe('tenant isolation', () => {
  it('hides one tenant’s deals from another', async () => {
    const other = await harness.newTenant();
    const client = harness.deals(other.token);

    await expect(client.getDeal({ dealId })).rejects.toMatchObject({ code: 5 });
    await expect(
      client.previewSettlement({ dealId, periodStart: '2026-01-01' }),
    ).rejects.toMatchObject({ code: 5 });
    expect((await client.listDeals({})).deals).toEqual([]);
  });
});
