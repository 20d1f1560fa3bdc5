import { randomUUID } from 'node:crypto';
import { type Producer } from 'kafkajs';
import { create, type DescMessage, type MessageInitShape } from '@bufbuild/protobuf';
import { timestampFromDate } from '@bufbuild/protobuf/wkt';
import {
  ChargebackReceivedSchema,
  PaymentCapturedSchema,
  PaymentRefundedSchema,
} from '@kontor/contracts/events/v1/payment_events_pb';
import {
  BasisKind,
  DealTermsSchema,
  NegativePeriodHandling,
  PartyRole,
  SettlementFrequency,
} from '@kontor/contracts/deals/v1/deal_service_pb';
import {
  OrganizationKind,
  OrganizationService,
} from '@kontor/contracts/ledger/v1/organization_service_pb';
import { PAYMENTS_EVENTS_TOPIC } from '@kontor/events';
import { createEventProducer, createKafka, encodeEvent, type TopicDefinition } from '@kontor/kafka';
import { testKafkaBrokers } from '@kontor/testing';
import { createDeal, newParty, previewWhenSeen, type Party } from './support/books';
import {
  HARNESS_START_TIMEOUT_MS,
  startDealsHarness,
  type DealsHarness,
  type TestTenant,
} from './support/deals-harness';

// Entries the ledger posts from order events (payments.events.v1) reach deals like any other:
// the revenue reversal of a refund or chargeback carries only the order, so the deals service
// links it (by reference to the chargeback, by order to the sale's product) when it arrives.

const eur = (amount: string) => ({ amount, currency: 'EUR' });
const march = (day: number) => timestampFromDate(new Date(Date.UTC(2026, 2, day, 12)));

let harness: DealsHarness;
let tenant: TestTenant;
let vendor: Party;
let partner: Party;
let customerExternalId: string;
let producer: Producer;

// Keyed by order id, as order systems publish (a refund never overtakes its capture).
async function publish<S extends DescMessage>(
  schema: S,
  message: MessageInitShape<S> & { orderId: string },
) {
  const topic: TopicDefinition = PAYMENTS_EVENTS_TOPIC;
  const record = encodeEvent(topic, {
    key: message.orderId,
    schema,
    message: create(schema, message),
    id: randomUUID(),
    source: '/test/order-system',
    time: new Date(),
  });
  await producer.send({ topic: record.topic, acks: -1, messages: [record] });
}

beforeAll(async () => {
  harness = await startDealsHarness();
  tenant = await harness.newTenant();
  [vendor, partner] = await Promise.all([newParty(harness, tenant), newParty(harness, tenant)]);
  customerExternalId = `customer-${randomUUID().slice(0, 8)}`;
  await harness.ledger(OrganizationService, tenant.token).createOrganization({
    externalId: customerExternalId,
    kind: OrganizationKind.CUSTOMER,
    name: 'Customer',
  });
  producer = createEventProducer(
    createKafka({ clientId: 'test-order-system', brokers: testKafkaBrokers() }),
  );
  await producer.connect();
  const common = {
    tenantId: tenant.id,
    vendorExternalId: vendor.externalId,
    customerExternalId,
  };
  // Order o1: desk 1,000 + chair 500 (tax 190 on the desk), marketplace fee 30.
  await publish(PaymentCapturedSchema, {
    ...common,
    paymentId: 'p1',
    orderId: 'o1',
    paymentMethod: 'card',
    lines: [
      { product: 'desk', netAmount: eur('1000.00'), taxAmount: eur('190.00') },
      { product: 'chair', netAmount: eur('500.00'), taxAmount: eur('0.00') },
    ],
    marketplaceFee: eur('30.00'),
    captureTime: march(3),
  });
  // Order o2: desk 2,000, no tax, no fee.
  await publish(PaymentCapturedSchema, {
    ...common,
    paymentId: 'p2',
    orderId: 'o2',
    paymentMethod: 'card',
    lines: [{ product: 'desk', netAmount: eur('2000.00'), taxAmount: eur('0.00') }],
    captureTime: march(4),
  });
  await publish(PaymentRefundedSchema, {
    ...common,
    paymentId: 'p2',
    refundId: 'r1',
    orderId: 'o2',
    amount: eur('300.00'),
    reason: 'damaged',
    refundTime: march(10),
  });
  await publish(ChargebackReceivedSchema, {
    ...common,
    paymentId: 'p1',
    chargebackId: 'c1',
    orderId: 'o1',
    amount: eur('200.00'),
    chargebackFee: eur('15.00'),
    receiveTime: march(12),
  });
}, HARNESS_START_TIMEOUT_MS);

afterAll(async () => {
  await producer?.disconnect();
  await harness?.stop();
});

async function deal(name: string, products: string[]) {
  const { deal: created } = await createDeal(harness.deals(tenant.token), {
    name,
    payerOrganizationId: vendor.organizationId,
    frequency: SettlementFrequency.MONTHLY,
    effectiveFrom: '2026-01-01',
    terms: create(DealTermsSchema, {
      payees: [
        { organizationId: partner.organizationId, role: PartyRole.PARTNER, sharePercent: '100' },
      ],
      scope: { ledgerIds: [vendor.ledgerId], products },
      basis: BasisKind.NET_REVENUE,
      flatPercent: '10',
      negativePeriod: NegativePeriodHandling.CARRY_FORWARD,
    }),
  });

  return created!.dealId;
}

describe('settling on entries posted from order events', () => {
  it('tells refunds from chargebacks: revenue 3,500 − refund 300 − chargeback 200 = 3,000; 10% = 300', async () => {
    // Entries: o1 sale, payment, fee; o2 sale, payment; refund reversal + refund; chargeback
    // reversal + chargeback = 9.
    const dealId = await deal('all products', []);
    const settlement = await previewWhenSeen(harness.deals(tenant.token), dealId, '2026-03-01', 9);

    expect(settlement.figures?.revenue?.amount).toBe('3500.00');
    expect(settlement.figures?.refunds?.amount).toBe('300.00');
    expect(settlement.figures?.chargebacks?.amount).toBe('200.00');
    expect(settlement.total?.amount).toBe('300.00');
  });

  it('gives a refund its order’s product: desks 1,000 + 2,000 − 300 = 2,700; 10% = 270', async () => {
    // o2 sold only desks, so its refund (reversal and refund entry) is a desk refund; o1 sold
    // desk and chair, so its chargeback cannot be attributed to one product and stays out of a
    // product-scoped deal. Desk entries: o1 sale, o2 sale, o2 reversal, o2 refund = 4.
    const dealId = await deal('desks', ['desk']);
    const settlement = await previewWhenSeen(harness.deals(tenant.token), dealId, '2026-03-01', 4);

    expect(settlement.figures?.refunds?.amount).toBe('300.00');
    expect(settlement.figures?.chargebacks?.amount).toBe('0.00');
    expect(settlement.total?.amount).toBe('270.00');
  });
});
