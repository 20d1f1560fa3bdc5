import { randomUUID } from 'node:crypto';
import { create, type MessageInitShape } from '@bufbuild/protobuf';
import {
  BasisKind,
  CreateDealRequestSchema,
  DealTermsSchema,
  NegativePeriodHandling,
  PartyRole,
  SettlementFrequency,
  TierMethod,
  type DealTerms,
} from '@kontor/contracts/deals/v1/deal_service_pb';
import { GrpcCallError } from '@kontor/grpc';
import { createDeal, newParty, type Party } from './support/books';
import {
  HARNESS_START_TIMEOUT_MS,
  startDealsHarness,
  type DealsHarness,
  type TestTenant,
} from './support/deals-harness';

// Bad deals are rejected with a status, a message naming what to fix and field violations.

const INVALID_ARGUMENT = 3;
const NOT_FOUND = 5;
const ALREADY_EXISTS = 6;
const FAILED_PRECONDITION = 9;

let harness: DealsHarness;
let tenant: TestTenant;
let payer: Party;
let partner: Party;
let other: Party;

beforeAll(async () => {
  harness = await startDealsHarness();
  tenant = await harness.newTenant();
  [payer, partner, other] = await Promise.all([
    newParty(harness, tenant),
    newParty(harness, tenant),
    newParty(harness, tenant),
  ]);
  // Wait until the replica knows every party: one valid deal naming them all.
  await createDeal(harness.deals(tenant.token), request(terms({})));
}, HARNESS_START_TIMEOUT_MS);

afterAll(async () => {
  await harness?.stop();
});

type Terms = MessageInitShape<typeof DealTermsSchema>;

function terms(overrides: Terms): DealTerms {
  const defaults: Terms = {
    payees: [
      { organizationId: partner.organizationId, role: PartyRole.PARTNER, sharePercent: '50' },
      { organizationId: other.organizationId, role: PartyRole.SUPPLIER, sharePercent: '50' },
    ],
    scope: { ledgerIds: [payer.ledgerId] },
    basis: BasisKind.NET_REVENUE,
    flatPercent: '10',
    negativePeriod: NegativePeriodHandling.CARRY_FORWARD,
  };

  return create(DealTermsSchema, { ...defaults, ...overrides } as Terms);
}

function request(dealTerms: DealTerms, requestId: string = randomUUID()) {
  return create(CreateDealRequestSchema, {
    requestId,
    name: 'Deal',
    payerOrganizationId: payer.organizationId,
    currency: 'EUR',
    frequency: SettlementFrequency.MONTHLY,
    effectiveFrom: '2026-01-01',
    terms: dealTerms,
  });
}

async function rejection(call: Promise<unknown>): Promise<GrpcCallError> {
  try {
    await call;
  } catch (error) {
    if (error instanceof GrpcCallError) return error;
    throw error;
  }
  throw new Error('the call succeeded');
}

const fields = (error: GrpcCallError) => error.fieldViolations.map((v) => v.field);

describe('bad deals', () => {
  it('rejects shares over 100 percent in total, naming the field', async () => {
    const error = await rejection(
      harness.deals(tenant.token).createDeal(
        request(
          terms({
            payees: [
              {
                organizationId: partner.organizationId,
                role: PartyRole.PARTNER,
                sharePercent: '70',
              },
              {
                organizationId: other.organizationId,
                role: PartyRole.SUPPLIER,
                sharePercent: '40',
              },
            ],
          }),
        ),
      ),
    );

    expect(error.code).toBe(INVALID_ARGUMENT);
    expect(error.message).toContain('share percentages must sum to exactly 100, got 110');
    expect(fields(error)).toEqual(['terms.payees']);
  });

  it('rejects tiers out of order and a percentage over 100', async () => {
    const error = await rejection(
      harness.deals(tenant.token).createDeal(
        request(
          terms({
            flatPercent: '',
            tierMethod: TierMethod.MARGINAL,
            tiers: [
              { from: { amount: '0', currency: 'EUR' }, percent: '30' },
              { from: { amount: '20000', currency: 'EUR' }, percent: '35' },
              { from: { amount: '10000', currency: 'EUR' }, percent: '140' },
            ],
          }),
        ),
      ),
    );

    expect(error.code).toBe(INVALID_ARGUMENT);
    expect(fields(error)).toEqual(['terms.tiers[2].percent', 'terms.tiers[2].from']);
  });

  it('rejects unknown parties with NOT_FOUND naming them', async () => {
    const stranger = randomUUID();
    const error = await rejection(
      harness.deals(tenant.token).createDeal(
        request(
          terms({
            payees: [{ organizationId: stranger, role: PartyRole.PARTNER, sharePercent: '100' }],
          }),
        ),
      ),
    );

    expect(error.code).toBe(NOT_FOUND);
    expect(error.message).toContain(stranger);
    expect(fields(error)).toEqual(['terms.payees[0].organization_id']);
  });

  it('rejects a scope ledger that is not the tenant’s', async () => {
    const stranger = randomUUID();
    const error = await rejection(
      harness
        .deals(tenant.token)
        .createDeal(request(terms({ scope: { ledgerIds: [payer.ledgerId, stranger] } }))),
    );

    expect(error.code).toBe(NOT_FOUND);
    expect(fields(error)).toEqual(['terms.scope.ledger_ids[1]']);
  });

  it('rejects another tenant’s organizations as unknown', async () => {
    const foreign = await harness.newTenant();
    const error = await rejection(harness.deals(foreign.token).createDeal(request(terms({}))));

    expect(error.code).toBe(NOT_FOUND);
  });

  it('rejects overlapping versions and amendments starting mid-period', async () => {
    const client = harness.deals(tenant.token);
    const { deal } = await client.createDeal(request(terms({})));
    await client.amendDeal({
      dealId: deal!.dealId,
      requestId: 'v2',
      effectiveFrom: '2026-06-01',
      terms: terms({ flatPercent: '12' }),
    });
    const overlapping = await rejection(
      client.amendDeal({
        dealId: deal!.dealId,
        requestId: 'v3',
        effectiveFrom: '2026-04-01',
        terms: terms({ flatPercent: '15' }),
      }),
    );
    const midMonth = await rejection(
      client.amendDeal({
        dealId: deal!.dealId,
        requestId: 'v4',
        effectiveFrom: '2026-08-15',
        terms: terms({ flatPercent: '15' }),
      }),
    );

    expect(overlapping.code).toBe(FAILED_PRECONDITION);
    expect(overlapping.message).toContain('overlaps version 2');
    expect(midMonth.code).toBe(INVALID_ARGUMENT);
    expect(fields(midMonth)).toEqual(['effective_from']);
  });

  it('replays a retried create and refuses its request_id for other content', async () => {
    const client = harness.deals(tenant.token);
    const first = await client.createDeal(request(terms({}), 'create-once'));
    const retry = await client.createDeal(request(terms({}), 'create-once'));
    const conflict = await rejection(
      client.createDeal(request(terms({ flatPercent: '11' }), 'create-once')),
    );

    expect(retry.replayed).toBe(true);
    expect(retry.deal?.dealId).toBe(first.deal?.dealId);
    expect(conflict.code).toBe(ALREADY_EXISTS);
  });

  it('rejects a period start that is not the first day of a period, and bad ids', async () => {
    const client = harness.deals(tenant.token);
    const { deal } = await client.createDeal(request(terms({})));
    const badPeriod = await rejection(
      client.previewSettlement({ dealId: deal!.dealId, periodStart: '2026-03-15' }),
    );
    const badId = await rejection(client.getDeal({ dealId: 'not-a-uuid' }));

    expect(badPeriod.code).toBe(INVALID_ARGUMENT);
    expect(badPeriod.message).toContain('period_start: must be the first day of a month');
    expect(badId.code).toBe(INVALID_ARGUMENT);
    expect(fields(badId)).toEqual(['deal_id']);
  });
});
