import {
  BasisKind,
  NegativePeriodHandling,
  PartyRole,
  SettlementFrequency,
  TierMethod,
  type DealTerms,
} from '@kontor/contracts/deals/v1/deal_service_pb';
import { create, type MessageInitShape } from '@bufbuild/protobuf';
import { DealTermsSchema } from '@kontor/contracts/deals/v1/deal_service_pb';
import { createDeal, newParty, post, previewWhenSeen, type Party } from './support/books';
import {
  eventually,
  HARNESS_START_TIMEOUT_MS,
  startDealsHarness,
  type DealsHarness,
  type TestTenant,
} from './support/deals-harness';

// Worked examples on the real stack: entries posted through the ledger's gRPC API reach the deals
// service over ledger.entries.v1, and each expectation was computed by hand in the comments.

const eur = (amount: string) => ({ amount, currency: 'EUR' });
type Terms = MessageInitShape<typeof DealTermsSchema>;

let harness: DealsHarness;
let tenant: TestTenant;
let payer: Party;
let partnerA: Party;
let partnerB: Party;
let partnerC: Party;

beforeAll(async () => {
  harness = await startDealsHarness();
  tenant = await harness.newTenant();
  [payer, partnerA, partnerB, partnerC] = await Promise.all([
    newParty(harness, tenant),
    newParty(harness, tenant),
    newParty(harness, tenant),
    newParty(harness, tenant),
  ]);
}, HARNESS_START_TIMEOUT_MS);

afterAll(async () => {
  await harness?.stop();
});

function terms(ledgerId: string, overrides: Terms): DealTerms {
  const defaults: Terms = {
    payees: [
      { organizationId: partnerA.organizationId, role: PartyRole.PARTNER, sharePercent: '100' },
    ],
    scope: { ledgerIds: [ledgerId] },
    basis: BasisKind.NET_REVENUE,
    negativePeriod: NegativePeriodHandling.CARRY_FORWARD,
  };

  return create(DealTermsSchema, { ...defaults, ...overrides } as Terms);
}

async function monthlyDeal(name: string, dealTerms: DealTerms, effectiveFrom = '2026-01-01') {
  const { deal } = await createDeal(harness.deals(tenant.token), {
    name,
    payerOrganizationId: payer.organizationId,
    frequency: SettlementFrequency.MONTHLY,
    effectiveFrom,
    terms: dealTerms,
  });

  return deal!.dealId;
}

describe('one March of a book, settled under different terms', () => {
  // March: sale of two product lines 4,000.00 + 3,000.00, a sale of 5,500.00, a refund of 500.00
  // → revenue 12,500.00, refunds 500.00, net 12,000.00; 3 units (revenue lines).
  let ledgerId: string;

  beforeAll(async () => {
    ledgerId = payer.ledgerId;
    await post(harness, tenant, ledgerId, 'sale', '2026-03-03', [
      { amount: '4000.00', product: 'desk' },
      { amount: '3000.00', product: 'chair' },
    ]);
    await post(harness, tenant, ledgerId, 'sale', '2026-03-17', [
      { amount: '5500.00', product: 'desk' },
    ]);
    await post(harness, tenant, ledgerId, 'refund', '2026-03-20', [
      { amount: '500.00', product: 'desk' },
    ]);
  });

  it('applies marginal tiers: the design example 30% up to 10,000 + 35% above = 3,000 + 700 = 3,700 (minimum 500 not needed)', async () => {
    const dealId = await monthlyDeal(
      'marginal',
      terms(ledgerId, {
        tierMethod: TierMethod.MARGINAL,
        tiers: [
          { from: eur('0'), percent: '30' },
          { from: eur('10000'), percent: '35' },
        ],
        minimum: eur('500'),
      }),
    );
    const settlement = await previewWhenSeen(harness.deals(tenant.token), dealId, '2026-03-01', 3);

    expect(settlement.figures?.revenue?.amount).toBe('12500.00');
    expect(settlement.figures?.refunds?.amount).toBe('500.00');
    expect(settlement.basisAmount?.amount).toBe('12000.00');
    expect(settlement.tiers.map((t) => [t.applied?.amount, t.contribution?.amount])).toEqual([
      ['10000.00', '3000.00'],
      ['2000.00', '700.00'],
    ]);
    expect(settlement.minimumAdjustment?.amount).toBe('0.00');
    expect(settlement.total?.amount).toBe('3700.00');
    expect(settlement.parties.map((p) => p.amount?.amount)).toEqual(['3700.00']);
  });

  it('applies a retroactive tier to the whole basis: 12,000 reaches 35% → 4,200', async () => {
    const dealId = await monthlyDeal(
      'retroactive',
      terms(ledgerId, {
        tierMethod: TierMethod.RETROACTIVE,
        tiers: [
          { from: eur('0'), percent: '30' },
          { from: eur('10000'), percent: '35' },
        ],
      }),
    );
    const settlement = await previewWhenSeen(harness.deals(tenant.token), dealId, '2026-03-01', 3);

    expect(settlement.tiers.map((t) => t.applied?.amount)).toEqual(['0.00', '12000.00']);
    expect(settlement.total?.amount).toBe('4200.00');
  });

  it('raises to the minimum guarantee: 1% of 12,000 = 120 → 500', async () => {
    const dealId = await monthlyDeal(
      'minimum',
      terms(ledgerId, { flatPercent: '1', minimum: eur('500') }),
    );
    const settlement = await previewWhenSeen(harness.deals(tenant.token), dealId, '2026-03-01', 3);

    expect(settlement.earned?.amount).toBe('120.00');
    expect(settlement.minimumAdjustment?.amount).toBe('380.00');
    expect(settlement.total?.amount).toBe('500.00');
  });

  it('cuts to the cap: 40% of 12,000 = 4,800 → 4,000', async () => {
    const dealId = await monthlyDeal(
      'cap',
      terms(ledgerId, { flatPercent: '40', cap: eur('4000') }),
    );
    const settlement = await previewWhenSeen(harness.deals(tenant.token), dealId, '2026-03-01', 3);

    expect(settlement.capAdjustment?.amount).toBe('-800.00');
    expect(settlement.total?.amount).toBe('4000.00');
  });

  it('adds fees per unit and per period: 3 units × 2.50 + 100.00 = 107.50', async () => {
    const dealId = await monthlyDeal(
      'fees',
      terms(ledgerId, { feePerUnit: eur('2.50'), feePerPeriod: eur('100') }),
    );
    const settlement = await previewWhenSeen(harness.deals(tenant.token), dealId, '2026-03-01', 3);

    expect(settlement.figures?.units).toBe(3n);
    expect(settlement.terms.map((t) => t.amount?.amount)).toEqual(['7.50', '100.00']);
    expect(settlement.total?.amount).toBe('107.50');
  });

  it('settles only the products in scope: desk = 4,000 + 5,500 − 500 = 9,000; 10% = 900', async () => {
    const dealId = await monthlyDeal(
      'desks only',
      terms(ledgerId, { flatPercent: '10', scope: { ledgerIds: [ledgerId], products: ['desk'] } }),
    );
    const settlement = await previewWhenSeen(harness.deals(tenant.token), dealId, '2026-03-01', 3);

    expect(settlement.basisAmount?.amount).toBe('9000.00');
    expect(settlement.total?.amount).toBe('900.00');
  });

  it('splits odd cents across three payees exactly: 12,500 gross × 0.8% = 100.00 → 33.34 + 33.33 + 33.33', async () => {
    const dealId = await monthlyDeal(
      'three ways',
      terms(ledgerId, {
        basis: BasisKind.GROSS_REVENUE,
        flatPercent: '0.8',
        payees: [
          {
            organizationId: partnerA.organizationId,
            role: PartyRole.PARTNER,
            sharePercent: '33.333334',
          },
          {
            organizationId: partnerB.organizationId,
            role: PartyRole.SUPPLIER,
            sharePercent: '33.333333',
          },
          {
            organizationId: partnerC.organizationId,
            role: PartyRole.VENDOR,
            sharePercent: '33.333333',
          },
        ],
      }),
    );
    const settlement = await previewWhenSeen(harness.deals(tenant.token), dealId, '2026-03-01', 3);

    expect(settlement.total?.amount).toBe('100.00');
    expect(settlement.parties.map((p) => p.amount?.amount)).toEqual(['33.34', '33.33', '33.33']);
  });

  it('gives the same preview every time for the same entries', async () => {
    const dealId = await monthlyDeal('stable', terms(ledgerId, { flatPercent: '12.345' }));
    const client = harness.deals(tenant.token);
    const first = await previewWhenSeen(client, dealId, '2026-03-01', 3);
    const second = await client.previewSettlement({ dealId, periodStart: '2026-03-01' });

    // 12.345% of 12,000.00 = 1,481.40
    expect(first.total?.amount).toBe('1481.40');
    expect(second.settlement).toEqual(first);
  });
});

describe('refunds in a later period and negative periods', () => {
  // Own book: January sale 3,000; February sale 1,000 and a refund of January's sale 3,000
  // (net −2,000); March sale 5,000. Flat 10% of net revenue.
  let book: Party;

  beforeAll(async () => {
    book = await newParty(harness, tenant);
    await post(harness, tenant, book.ledgerId, 'sale', '2026-01-10', [{ amount: '3000.00' }]);
    await post(harness, tenant, book.ledgerId, 'sale', '2026-02-10', [{ amount: '1000.00' }]);
    await post(harness, tenant, book.ledgerId, 'refund', '2026-02-12', [{ amount: '3000.00' }]);
    await post(harness, tenant, book.ledgerId, 'sale', '2026-03-10', [{ amount: '5000.00' }]);
  });

  it('carries the shortfall forward: Jan 300, Feb 0 (carry −200), Mar 500 − 200 = 300', async () => {
    const dealId = await monthlyDeal('carry', terms(book.ledgerId, { flatPercent: '10' }));
    const client = harness.deals(tenant.token);
    const january = await previewWhenSeen(client, dealId, '2026-01-01', 1);
    const february = await previewWhenSeen(client, dealId, '2026-02-01', 2);
    const march = await previewWhenSeen(client, dealId, '2026-03-01', 1);

    expect(january.total?.amount).toBe('300.00');
    expect(february.basisAmount?.amount).toBe('-2000.00');
    expect([february.total?.amount, february.carryOut?.amount]).toEqual(['0.00', '-200.00']);
    expect([march.carryIn?.amount, march.total?.amount]).toEqual(['-200.00', '300.00']);
  });

  it('claws the negative period back instead: Feb −200, Mar 500', async () => {
    const dealId = await monthlyDeal(
      'claw back',
      terms(book.ledgerId, { flatPercent: '10', negativePeriod: NegativePeriodHandling.CLAW_BACK }),
    );
    const client = harness.deals(tenant.token);
    const february = await previewWhenSeen(client, dealId, '2026-02-01', 2);
    const march = await previewWhenSeen(client, dealId, '2026-03-01', 1);

    expect(february.total?.amount).toBe('-200.00');
    expect(february.parties[0]?.amount?.amount).toBe('-200.00');
    expect(march.total?.amount).toBe('500.00');
  });

  it('settles a quarter as one period: Q1 net 3,000 + (1,000 − 3,000) + 5,000 = 6,000; 10% = 600', async () => {
    const { deal } = await createDeal(harness.deals(tenant.token), {
      name: 'quarterly',
      payerOrganizationId: payer.organizationId,
      frequency: SettlementFrequency.QUARTERLY,
      effectiveFrom: '2026-01-01',
      terms: terms(book.ledgerId, { flatPercent: '10' }),
    });
    const settlement = await previewWhenSeen(
      harness.deals(tenant.token),
      deal!.dealId,
      '2026-01-01',
      4,
    );

    expect([settlement.periodLabel, settlement.periodEnd]).toEqual(['2026-Q1', '2026-03-31']);
    expect(settlement.basisAmount?.amount).toBe('6000.00');
    expect(settlement.total?.amount).toBe('600.00');
  });

  it('settles margin as revenue less cost: Jan 3,000 − cost 1,200 = 1,800; 50% = 900', async () => {
    await post(harness, tenant, book.ledgerId, 'cost', '2026-01-20', [{ amount: '1200.00' }]);
    const dealId = await monthlyDeal(
      'margin',
      terms(book.ledgerId, { basis: BasisKind.MARGIN, flatPercent: '50' }),
    );
    const settlement = await previewWhenSeen(harness.deals(tenant.token), dealId, '2026-01-01', 2);

    expect(settlement.figures?.costs?.amount).toBe('1200.00');
    expect(settlement.total?.amount).toBe('900.00');
  });
});

describe('late entries after a shortfall was carried forward', () => {
  it('pays what the restated chain owes once: Jan −200 carried, Feb 300; a late Jan sale of 3,000 adds 300 to March', async () => {
    // Own book, flat 10% of net revenue, carry forward. January: refund 2,000 → −200, total 0,
    // carry −200. February: sale 5,000 → 500 − 200 = 300. Both finalized. Then a late January
    // sale of 3,000: January restated is 10% of 1,000 = 100 with no carry, February 500, so
    // 600 was owed and 300 paid. March: sale 1,000 → 100, plus 300 of adjustments = 400, with
    // no carry-in (the restated January carries nothing). April then owes nothing more.
    const book = await newParty(harness, tenant);
    await post(harness, tenant, book.ledgerId, 'refund', '2026-01-20', [{ amount: '2000.00' }]);
    await post(harness, tenant, book.ledgerId, 'sale', '2026-02-10', [{ amount: '5000.00' }]);
    await post(harness, tenant, book.ledgerId, 'sale', '2026-03-10', [{ amount: '1000.00' }]);
    const dealId = await monthlyDeal(
      'late after carry',
      terms(book.ledgerId, { flatPercent: '10' }),
    );
    const client = harness.deals(tenant.token);
    await previewWhenSeen(client, dealId, '2026-01-01', 1);
    await previewWhenSeen(client, dealId, '2026-02-01', 1);
    await previewWhenSeen(client, dealId, '2026-03-01', 1);
    const january = await client.finalizeSettlement({ dealId, periodStart: '2026-01-01' });
    const february = await client.finalizeSettlement({ dealId, periodStart: '2026-02-01' });

    await post(harness, tenant, book.ledgerId, 'sale', '2026-01-25', [{ amount: '3000.00' }]);
    const march = await eventually(async () => {
      const { settlement } = await client.previewSettlement({ dealId, periodStart: '2026-03-01' });
      return settlement?.lateAdjustments.length ? settlement : undefined;
    }, 'the late January sale in March’s adjustments');
    const finalizedMarch = await client.finalizeSettlement({ dealId, periodStart: '2026-03-01' });
    const { settlement: april } = await client.previewSettlement({
      dealId,
      periodStart: '2026-04-01',
    });

    expect([january.settlement?.total?.amount, january.settlement?.carryOut?.amount]).toEqual([
      '0.00',
      '-200.00',
    ]);
    expect(february.settlement?.total?.amount).toBe('300.00');
    expect(march.lateAdjustments.map((a) => [a.periodStart, a.amount?.amount])).toEqual([
      ['2026-01-01', '100.00'],
      ['2026-02-01', '200.00'],
    ]);
    expect([march.carryIn?.amount, march.total?.amount]).toEqual(['0.00', '400.00']);
    expect(finalizedMarch.settlement?.total?.amount).toBe('400.00');
    expect(april?.lateAdjustments).toEqual([]);
    expect([april?.carryIn?.amount, april?.total?.amount]).toEqual(['0.00', '0.00']);
  });
});

describe('a gap between versions', () => {
  it('skips the months no terms cover: after March, June is the next period to finalize', async () => {
    // Version 1 ends on March 31; version 2 starts on June 1. April and May settle nothing.
    const book = await newParty(harness, tenant);
    const dealId = await monthlyDeal(
      'gap',
      terms(book.ledgerId, { flatPercent: '10', effectiveTo: '2026-03-31' }),
    );
    const client = harness.deals(tenant.token);
    await client.amendDeal({
      dealId,
      requestId: 'resume-in-june',
      effectiveFrom: '2026-06-01',
      terms: terms(book.ledgerId, { flatPercent: '12' }),
      reason: 'resumed after a pause',
    });
    for (const month of ['2026-01-01', '2026-02-01', '2026-03-01']) {
      await client.finalizeSettlement({ dealId, periodStart: month });
    }
    const april = await client.finalizeSettlement({ dealId, periodStart: '2026-04-01' }).then(
      () => undefined,
      (error: unknown) => error,
    );
    const { settlement: june } = await client.finalizeSettlement({
      dealId,
      periodStart: '2026-06-01',
    });

    expect(april).toMatchObject({
      code: 9, // FAILED_PRECONDITION
      message: expect.stringContaining('no terms of deal'),
    });
    expect([june?.periodLabel, june?.dealVersion]).toEqual(['2026-06', 2]);
  });
});

describe('amendments', () => {
  it('applies an amendment from its effective date and keeps the history with who changed what', async () => {
    // Own book: 1,000.00 of sales in June and in July. 10% until June, 15% from July.
    const book = await newParty(harness, tenant);
    await post(harness, tenant, book.ledgerId, 'sale', '2026-06-15', [{ amount: '1000.00' }]);
    await post(harness, tenant, book.ledgerId, 'sale', '2026-07-15', [{ amount: '1000.00' }]);
    const dealId = await monthlyDeal('amended', terms(book.ledgerId, { flatPercent: '10' }));
    const client = harness.deals(tenant.token);
    const { deal } = await client.amendDeal({
      dealId,
      requestId: 'amend-july',
      effectiveFrom: '2026-07-01',
      terms: terms(book.ledgerId, { flatPercent: '15' }),
      reason: 'renegotiated mid-year',
    });
    const june = await previewWhenSeen(client, dealId, '2026-06-01', 1);
    const july = await previewWhenSeen(client, dealId, '2026-07-01', 1);

    expect([june.dealVersion, june.total?.amount]).toEqual([1, '100.00']);
    expect([july.dealVersion, july.total?.amount]).toEqual([2, '150.00']);
    expect(
      deal?.versions.map((v) => [v.version, v.effectiveFrom, v.terms?.flatPercent, v.reason]),
    ).toEqual([
      [1, '2026-01-01', '10', ''],
      [2, '2026-07-01', '15', 'renegotiated mid-year'],
    ]);
    expect(deal?.versions[1]?.changedBy).toMatch(/^api-key:[0-9a-f]{16}$/);
  });
});
