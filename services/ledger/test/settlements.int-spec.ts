import { randomUUID } from 'node:crypto';
import { type Producer } from 'kafkajs';
import { create } from '@bufbuild/protobuf';
import { timestampFromDate } from '@bufbuild/protobuf/wkt';
import { SettlementFinalizedSchema } from '@kontor/contracts/events/v1/settlement_events_pb';
import { BalanceService } from '@kontor/contracts/ledger/v1/balance_service_pb';
import { DEALS_SETTLEMENTS_TOPIC } from '@kontor/events';
import { createEventProducer, createKafka, encodeEvent, type TopicDefinition } from '@kontor/kafka';
import { Money } from '@kontor/money';
import { testKafkaBrokers } from '@kontor/testing';
import { setUpBook, type Book } from './support/books';
import { startLedgerHarness, type LedgerHarness, type TestTenant } from './support/ledger-harness';

const DEAL_ID = randomUUID();

// Finalized deal settlements (deals.settlements.v1) become payable/receivable entries in the
// parties' primary ledgers, once per settlement and party (real broker, consumer and database).
describe('posting finalized deal settlements', () => {
  let harness: LedgerHarness;
  let tenant: TestTenant;
  let payerBook: Book;
  let payeeBook: Book;
  let producer: Producer;

  beforeAll(async () => {
    harness = await startLedgerHarness();
    tenant = await harness.newTenant();
    payerBook = await setUpBook(harness, tenant, { year: 2026, currency: 'EUR' });
    payeeBook = await setUpBook(harness, tenant, { year: 2026, currency: 'EUR' });
    producer = createEventProducer(
      createKafka({ clientId: 'test-deals', brokers: testKafkaBrokers() }),
    );
    await producer.connect();
  });
  afterAll(async () => {
    await producer?.disconnect();
    await harness?.stop();
  });

  async function publishSettlement(
    settlementId: string,
    periodEnd: string,
    shares: { organizationId: string; amount: string }[],
  ): Promise<void> {
    const topic: TopicDefinition = DEALS_SETTLEMENTS_TOPIC;
    const total = shares
      .reduce((sum, share) => sum.plus(Money.parse(share.amount, 'EUR')), Money.zero('EUR'))
      .toString();
    const record = encodeEvent(topic, {
      key: 'deal-1',
      schema: SettlementFinalizedSchema,
      message: create(SettlementFinalizedSchema, {
        tenantId: tenant.id,
        settlementId,
        dealId: DEAL_ID,
        dealName: 'Reseller',
        payerOrganizationId: payerBook.vendor.id,
        periodStart: `${periodEnd.slice(0, 8)}01`,
        periodEnd,
        periodLabel: periodEnd.slice(0, 7),
        total: { amount: total, currency: 'EUR' },
        shares: shares.map((share) => ({
          organizationId: share.organizationId,
          role: 'partner',
          amount: { amount: share.amount, currency: 'EUR' },
        })),
        finalizeTime: timestampFromDate(new Date()),
      }),
      id: randomUUID(),
      source: '/test/deals',
      time: new Date(),
    });
    await producer.send({ topic: record.topic, acks: -1, messages: [record] });
  }

  async function balance(ledgerId: string, accountCode: string, counterpartyId = '') {
    const { balances } = await harness
      .client(BalanceService, tenant.token)
      .getAccountBalance({ ledgerId, accountCode, counterpartyId });

    return balances[0]?.balance?.amount ?? '0.00';
  }

  async function settlementEntries(settlementId: string) {
    return harness.query<{ ledger_id: string; idempotency_key: string; entry_date: string }>(
      `SELECT ledger_id, idempotency_key, entry_date::text AS entry_date FROM ledger.entries
        WHERE source = 'settlement' AND reference = $1 ORDER BY idempotency_key`,
      [settlementId],
    );
  }

  async function until<T>(probe: () => Promise<T | undefined>): Promise<T> {
    for (let attempt = 0; attempt < 600; attempt++) {
      const value = await probe();
      if (value !== undefined) return value;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw new Error('gave up waiting for the settlement entries');
  }

  it('posts the payer’s payable and the payee’s receivable once, even when the event comes twice', async () => {
    // A payee without a primary ledger (the customer) keeps its books elsewhere: only the
    // payer's side of its share is posted.
    const settlementId = randomUUID();
    const shares = [
      { organizationId: payeeBook.vendor.id, amount: '233.33' },
      { organizationId: payerBook.customer.id, amount: '100.00' },
    ];
    await publishSettlement(settlementId, '2026-01-31', shares);
    await publishSettlement(settlementId, '2026-01-31', shares);
    const entries = await until(async () => {
      const found = await settlementEntries(settlementId);

      return found.length === 3 ? found : undefined;
    });

    expect(entries.map((e) => [e.ledger_id, e.entry_date]).sort()).toEqual(
      [
        [payerBook.ledgerId, '2026-01-31'],
        [payerBook.ledgerId, '2026-01-31'],
        [payeeBook.ledgerId, '2026-01-31'],
      ].sort(),
    );
    expect(await balance(payerBook.ledgerId, '5000')).toBe('333.33');
    expect(await balance(payerBook.ledgerId, '2000', payeeBook.vendor.id)).toBe('-233.33');
    expect(await balance(payeeBook.ledgerId, '1200', payerBook.vendor.id)).toBe('233.33');
    expect(await balance(payeeBook.ledgerId, '4100')).toBe('-233.33');
  });

  it('turns a claw-back around: the payee owes the payer', async () => {
    const settlementId = randomUUID();
    await publishSettlement(settlementId, '2026-02-28', [
      { organizationId: payeeBook.vendor.id, amount: '-33.33' },
    ]);
    await until(async () => {
      const found = await settlementEntries(settlementId);

      return found.length === 2 ? found : undefined;
    });

    // Payer: receivable from the payee 33.33, cost of sales down to 300.00.
    expect(await balance(payerBook.ledgerId, '1200', payeeBook.vendor.id)).toBe('33.33');
    expect(await balance(payerBook.ledgerId, '5000')).toBe('300.00');
    // Payee: owes the payer 33.33, revenue share down to 200.00.
    expect(await balance(payeeBook.ledgerId, '2000', payerBook.vendor.id)).toBe('-33.33');
    expect(await balance(payeeBook.ledgerId, '4100')).toBe('-200.00');
  });
});
