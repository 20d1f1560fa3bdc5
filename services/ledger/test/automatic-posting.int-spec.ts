import { randomUUID } from 'node:crypto';
import { create, type DescMessage, type MessageInitShape } from '@bufbuild/protobuf';
import { timestampFromDate } from '@bufbuild/protobuf/wkt';
import { type Producer } from 'kafkajs';
import { InvoiceIssuedSchema } from '@kontor/contracts/events/v1/invoice_events_pb';
import {
  PaymentCapturedSchema,
  PaymentRefundedSchema,
} from '@kontor/contracts/events/v1/payment_events_pb';
import {
  BalanceService,
  CustomerBalanceState,
  InvoiceStatus,
} from '@kontor/contracts/ledger/v1/balance_service_pb';
import { AccountService, AccountType } from '@kontor/contracts/ledger/v1/account_service_pb';
import { OperationsService } from '@kontor/contracts/ledger/v1/operations_service_pb';
import { PostingRuleService } from '@kontor/contracts/ledger/v1/posting_rule_service_pb';
import {
  OrganizationKind,
  OrganizationService,
} from '@kontor/contracts/ledger/v1/organization_service_pb';
import { BILLING_INVOICES_TOPIC, PAYMENTS_EVENTS_TOPIC } from '@kontor/events';
import { GrpcStatus } from '@kontor/grpc';
import { createEventProducer, createKafka, encodeEvent, type TopicDefinition } from '@kontor/kafka';
import { testKafkaBrokers } from '@kontor/testing';
import { setUpBook, type Book } from './support/books';
import { startLedgerHarness, type LedgerHarness, type TestTenant } from './support/ledger-harness';

async function eventually<T>(probe: () => Promise<T | undefined>, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`not within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

// Order and billing systems publish to Kafka; the ledger posts each event once into the primary
// ledger of the organization it names (real broker, real consumer, real database).
describe('automatic posting from payment and billing events', () => {
  let harness: LedgerHarness;
  let tenant: TestTenant;
  let book: Book;
  let producer: Producer;

  beforeAll(async () => {
    harness = await startLedgerHarness();
    tenant = await harness.newTenant();
    book = await setUpBook(harness, tenant, { year: 2026, currency: 'EUR' });
    producer = createEventProducer(
      createKafka({ clientId: 'test-order-system', brokers: testKafkaBrokers() }),
    );
    await producer.connect();
  });
  afterAll(async () => {
    await producer?.disconnect();
    await harness?.stop();
  });

  async function publish<S extends DescMessage>(
    topic: TopicDefinition,
    schema: S,
    message: MessageInitShape<S>,
    id = randomUUID(),
  ): Promise<string> {
    const record = encodeEvent(topic, {
      key: 'k',
      schema,
      message: create(schema, message),
      id,
      source: '/test/order-system',
      time: new Date(),
    });
    await producer.send({ topic: record.topic, acks: -1, messages: [record] });

    return id;
  }

  const entriesOf = (eventId: string) =>
    harness.query<{
      idempotency_key: string;
      source: string;
      posted_by: string;
      transaction_type: string;
    }>(
      `SELECT idempotency_key, source, posted_by, transaction_type FROM ledger.entries
        WHERE idempotency_key LIKE $1 ORDER BY idempotency_key`,
      [`${eventId}:%`],
    );

  const capture = (overrides: Record<string, unknown> = {}) => ({
    tenantId: tenant.id,
    paymentId: `pay-${randomUUID().slice(0, 6)}`,
    orderId: 'order-1',
    vendorExternalId: book.vendor.externalId,
    customerExternalId: book.customer.externalId,
    paymentMethod: 'card',
    lines: [
      {
        product: 'mug',
        netAmount: { amount: '10.00', currency: 'EUR' },
        taxAmount: { amount: '1.90', currency: 'EUR' },
      },
    ],
    marketplaceFee: { amount: '1.50', currency: 'EUR' },
    captureTime: timestampFromDate(new Date('2026-03-14T12:00:00Z')),
    ...overrides,
  });

  it('posts a captured payment as sale, payment and fee entries in the vendor primary ledger', async () => {
    const eventId = await publish(PAYMENTS_EVENTS_TOPIC, PaymentCapturedSchema, capture());

    const entries = await eventually(async () => {
      const rows = await entriesOf(eventId);
      return rows.length === 3 ? rows : undefined;
    });
    expect(entries.map((e) => [e.idempotency_key, e.transaction_type, e.source])).toEqual([
      [`${eventId}:fee`, 'fee', 'event'],
      [`${eventId}:payment`, 'payment', 'event'],
      [`${eventId}:sale`, 'revenue', 'event'],
    ]);
    expect(entries[0].posted_by).toBe('event:automatic-posting');
    const balances = harness.client(BalanceService, tenant.token);
    const revenue = await balances.getAccountBalance({
      ledgerId: book.ledgerId,
      accountCode: '4000',
    });
    expect(revenue.balances[0].balance).toEqual(
      expect.objectContaining({ amount: '-10.00', currency: 'EUR' }),
    );
    const customer = await balances.getCustomerBalance({
      ledgerId: book.ledgerId,
      customerId: book.customer.id,
    });
    expect(customer.balances[0].state).toBe(CustomerBalanceState.SETTLED);
  });

  it('applies a redelivered event once', async () => {
    const eventId = randomUUID();
    const message = capture();
    await publish(PAYMENTS_EVENTS_TOPIC, PaymentCapturedSchema, message, eventId);
    await eventually(async () => ((await entriesOf(eventId)).length === 3 ? true : undefined));

    await publish(PAYMENTS_EVENTS_TOPIC, PaymentCapturedSchema, message, eventId);
    // A later event on the same partition proves the redelivery was consumed before it.
    const marker = await publish(PAYMENTS_EVENTS_TOPIC, PaymentCapturedSchema, capture());
    await eventually(async () => ((await entriesOf(marker)).length === 3 ? true : undefined));

    expect(await entriesOf(eventId)).toHaveLength(3);
  });

  it('posts an invoice the customer then owes, shown unpaid', async () => {
    const eventId = await publish(BILLING_INVOICES_TOPIC, InvoiceIssuedSchema, {
      tenantId: tenant.id,
      invoiceNumber: 'INV-77',
      issuerExternalId: book.vendor.externalId,
      customerExternalId: book.customer.externalId,
      issueDate: '2026-04-01',
      dueDate: '2026-04-30',
      lines: [
        {
          description: 'Desk',
          netAmount: { amount: '100.00', currency: 'EUR' },
          taxAmount: { amount: '19.00', currency: 'EUR' },
        },
      ],
    });
    await eventually(async () => ((await entriesOf(eventId)).length === 1 ? true : undefined));

    const balances = harness.client(BalanceService, tenant.token);
    const { invoices } = await balances.listInvoices({
      ledgerId: book.ledgerId,
      customerId: book.customer.id,
    });
    expect(invoices).toEqual([
      expect.objectContaining({
        reference: 'INV-77',
        dueDate: '2026-04-30',
        status: InvoiceStatus.UNPAID,
      }),
    ]);
    expect(invoices[0].open).toEqual(expect.objectContaining({ amount: '119.00' }));
  });

  it('dead-letters an event naming an unknown customer and posts it on replay once the customer exists', async () => {
    const externalId = `late-customer-${randomUUID().slice(0, 6)}`;
    const eventId = await publish(
      PAYMENTS_EVENTS_TOPIC,
      PaymentCapturedSchema,
      capture({ customerExternalId: externalId }),
    );
    const operations = harness.client(OperationsService, harness.adminToken);
    await eventually(async () => {
      const replay = await operations.replayDeadLetters({ topic: 'payments.events.v1', limit: 0 });
      // Nothing to replay yet while the cause is unfixed would loop it back; wait until it is there.
      return replay.replayed + replay.remaining > 0 ? true : undefined;
    });
    expect(await entriesOf(eventId)).toHaveLength(0);

    await harness.client(OrganizationService, tenant.token).createOrganization({
      externalId,
      kind: OrganizationKind.CUSTOMER,
      name: 'Late customer',
    });
    await eventually(async () => {
      await operations.replayDeadLetters({ topic: 'payments.events.v1', limit: 0 });
      return (await entriesOf(eventId)).length === 3 ? true : undefined;
    });
  });

  it('refuses a replay of a topic the ledger does not consume, and tenant keys', async () => {
    await expect(
      harness
        .client(OperationsService, harness.adminToken)
        .replayDeadLetters({ topic: 'ledger.entries.v1' }),
    ).rejects.toMatchObject({
      code: GrpcStatus.INVALID_ARGUMENT,
      fieldViolations: [{ field: 'topic' }],
    });
    await expect(
      harness
        .client(OperationsService, tenant.token)
        .replayDeadLetters({ topic: 'payments.events.v1' }),
    ).rejects.toMatchObject({ code: GrpcStatus.PERMISSION_DENIED });
  });

  it('posts with the ledger own posting rules once they are set', async () => {
    const rules = harness.client(PostingRuleService, tenant.token);
    const defaults = await rules.getPostingRules({ ledgerId: book.ledgerId });
    expect(defaults.rules).toMatchObject({ revenueAccount: '4000', paymentsJournal: 'BANK' });
    await harness.client(AccountService, tenant.token).createAccount({
      ledgerId: book.ledgerId,
      code: '4010',
      name: 'Shop revenue',
      type: AccountType.REVENUE,
    });

    const set = await rules.setPostingRules({
      rules: { ledgerId: book.ledgerId, revenueAccount: '4010' },
    });
    expect(set.rules).toMatchObject({ revenueAccount: '4010', taxAccount: '2100' });

    const eventId = await publish(PAYMENTS_EVENTS_TOPIC, PaymentCapturedSchema, capture());
    await eventually(async () => ((await entriesOf(eventId)).length === 3 ? true : undefined));
    const revenue = await harness.query<{ code: string }>(
      `SELECT DISTINCT a.code FROM ledger.entry_lines l JOIN ledger.entries e ON e.id = l.entry_id
         JOIN ledger.accounts a ON a.id = l.account_id
        WHERE e.idempotency_key = $1 AND l.side = 'credit' AND a.type = 'revenue'`,
      [`${eventId}:sale`],
    );
    expect(revenue).toEqual([{ code: '4010' }]);
  });

  it('rejects posting rules naming a missing account or a bad journal symbol, or another tenant ledger', async () => {
    const rules = harness.client(PostingRuleService, tenant.token);
    await expect(
      rules.setPostingRules({ rules: { ledgerId: book.ledgerId, taxAccount: '9999' } }),
    ).rejects.toMatchObject({
      code: GrpcStatus.NOT_FOUND,
      fieldViolations: [{ field: 'tax_account' }],
    });
    await expect(
      rules.setPostingRules({ rules: { ledgerId: book.ledgerId, salesJournal: 'NOT A SYMBOL' } }),
    ).rejects.toMatchObject({
      code: GrpcStatus.INVALID_ARGUMENT,
      fieldViolations: [{ field: 'sales_journal' }],
    });
    const stranger = await harness.newTenant();
    await expect(
      harness
        .client(PostingRuleService, stranger.token)
        .getPostingRules({ ledgerId: book.ledgerId }),
    ).rejects.toMatchObject({ code: GrpcStatus.NOT_FOUND });
  });

  it('posts a batch of events together, dead-lettering only the one that cannot be posted', async () => {
    const ids = [randomUUID(), randomUUID(), randomUUID()];
    const messages = [
      capture(),
      capture({ customerExternalId: `nobody-${randomUUID().slice(0, 6)}` }),
      capture(),
    ];
    // One send: the ledger's consumer fetches them as one batch and tries them as one group.
    await producer.send({
      topic: PAYMENTS_EVENTS_TOPIC.name,
      acks: -1,
      messages: messages.map((message, i) =>
        encodeEvent(PAYMENTS_EVENTS_TOPIC, {
          key: 'k',
          schema: PaymentCapturedSchema,
          message: create(PaymentCapturedSchema, message),
          id: ids[i],
          source: '/test/order-system',
          time: new Date(),
        }),
      ),
    });

    await eventually(async () => ((await entriesOf(ids[2])).length === 3 ? true : undefined));
    expect(await entriesOf(ids[0])).toHaveLength(3);
    expect(await entriesOf(ids[1])).toHaveLength(0);
  });

  it('posts a refund as revenue reversed into customer credit and paid out, settling the customer', async () => {
    const balances = harness.client(BalanceService, tenant.token);
    const eventId = await publish(PAYMENTS_EVENTS_TOPIC, PaymentRefundedSchema, {
      tenantId: tenant.id,
      paymentId: 'pay-1',
      refundId: 'refund-1',
      orderId: 'order-1',
      vendorExternalId: book.vendor.externalId,
      customerExternalId: book.customer.externalId,
      amount: { amount: '11.90', currency: 'EUR' },
      reason: 'damaged',
      refundTime: timestampFromDate(new Date('2026-03-20T09:00:00Z')),
    });

    const entries = await eventually(async () => {
      const rows = await entriesOf(eventId);
      return rows.length === 2 ? rows : undefined;
    });
    expect(entries.map((e) => [e.idempotency_key, e.transaction_type])).toEqual([
      [`${eventId}:refund`, 'refund'],
      [`${eventId}:reversal`, 'adjustment'],
    ]);
    const lines = await harness.query<{
      key: string;
      side: string;
      type: string;
      amount: string;
      customer: boolean;
    }>(
      `SELECT e.idempotency_key AS key, l.side, a.type, l.amount::text AS amount,
              l.counterparty_id IS NOT NULL AS customer
         FROM ledger.entries e JOIN ledger.entry_lines l ON l.entry_id = e.id
         JOIN ledger.accounts a ON a.id = l.account_id
        WHERE e.idempotency_key LIKE $1 ORDER BY e.idempotency_key DESC, l.line_no`,
      [`${eventId}:%`],
    );
    expect(lines.map((l) => [l.key.split(':')[1], l.side, l.type, l.customer])).toEqual([
      ['reversal', 'debit', 'revenue', false],
      ['reversal', 'credit', 'asset', true],
      ['refund', 'debit', 'asset', true],
      ['refund', 'credit', 'asset', false],
    ]);
    expect(new Set(lines.map((l) => l.amount))).toEqual(new Set(['11.9000000000']));
    const { rows } = await balances.listLedgerEntries({
      ledgerId: book.ledgerId,
      customerId: book.customer.id,
    });
    expect(rows.at(-1)).toMatchObject({ reference: 'refund-1', amount: { amount: '11.90' } });
  });
});
