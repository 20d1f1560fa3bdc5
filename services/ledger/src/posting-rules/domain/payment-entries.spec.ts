import { Money } from '@kontor/money';
import { type EntryDraft } from './entry-draft';
import {
  capturedPaymentEntries,
  returnedPaymentEntries,
  type CapturedPayment,
} from './payment-entries';
import { DEFAULT_POSTING_RULES } from './posting-rules';

const eur = (amount: string) => Money.parse(amount, 'EUR');

function totals(draft: EntryDraft): Record<string, string> {
  const sums: Record<string, Money> = {};
  for (const line of draft.lines) {
    const key = `${line.side}:${line.accountCode}`;
    sums[key] = (sums[key] ?? Money.zero('EUR')).plus(line.amount);
  }

  return Object.fromEntries(Object.entries(sums).map(([key, sum]) => [key, sum.toString()]));
}

const capture: CapturedPayment = {
  eventId: 'evt-1',
  paymentId: 'pay-1',
  orderId: 'order-1',
  customerId: 'customer-1',
  paymentMethod: 'card',
  lines: [
    { product: 'mug', net: eur('10.00'), tax: eur('1.90') },
    { product: 'tea', net: eur('5.01'), tax: eur('0.00') },
  ],
  marketplaceFee: eur('1.50'),
  capturedOn: '2026-03-14',
};

describe(capturedPaymentEntries.name, () => {
  it('books the sale per product with tax, the payment against clearing, and the fee', () => {
    const [sale, payment, fee] = capturedPaymentEntries(capture, DEFAULT_POSTING_RULES);

    expect(totals(sale)).toEqual({
      'debit:1200': '16.91',
      'credit:4000': '15.01',
      'credit:2100': '1.90',
    });
    expect(
      sale.lines.filter((line) => line.accountCode === '4000').map((line) => line.product),
    ).toEqual(['mug', 'tea']);
    expect(totals(payment)).toEqual({ 'debit:1300': '16.91', 'credit:1200': '16.91' });
    expect(payment.transactionType).toBe('payment');
    expect(totals(fee)).toEqual({ 'debit:5100': '1.50', 'credit:1300': '1.50' });
  });

  it('derives idempotency keys from the event id, so a redelivery maps to the same entries', () => {
    const keys = capturedPaymentEntries(capture, DEFAULT_POSTING_RULES).map(
      (d) => d.idempotencyKey,
    );
    expect(keys).toEqual(['evt-1:sale', 'evt-1:payment', 'evt-1:fee']);
  });

  it('names the customer on every receivable line so the customer ledger sees sale and payment', () => {
    const drafts = capturedPaymentEntries(capture, DEFAULT_POSTING_RULES);
    const receivableLines = drafts
      .flatMap((d) => d.lines)
      .filter((line) => line.accountCode === '1200');
    expect(receivableLines).toHaveLength(2);
    expect(receivableLines.every((line) => line.counterpartyId === 'customer-1')).toBe(true);
  });

  it('omits the tax line when no product carries tax, and the fee entry when there is no fee', () => {
    const drafts = capturedPaymentEntries(
      {
        ...capture,
        lines: [{ product: 'tea', net: eur('5.00'), tax: eur('0') }],
        marketplaceFee: null,
      },
      DEFAULT_POSTING_RULES,
    );
    expect(drafts).toHaveLength(2);
    expect(totals(drafts[0])).toEqual({ 'debit:1200': '5.00', 'credit:4000': '5.00' });
  });
});

describe(returnedPaymentEntries.name, () => {
  const chargeback = {
    eventId: 'evt-2',
    paymentId: 'pay-1',
    returnId: 'cb-1',
    orderId: 'order-1',
    customerId: 'customer-1',
    amount: eur('16.91'),
    fee: eur('15.00'),
    returnedOn: '2026-04-02',
    reason: 'fraud',
  };

  it('reverses the revenue into customer credit, then pays it out of clearing with the fee', () => {
    const [reversal, payout] = returnedPaymentEntries(
      'chargeback',
      chargeback,
      DEFAULT_POSTING_RULES,
    );

    expect(reversal.idempotencyKey).toBe('evt-2:reversal');
    expect(totals(reversal)).toEqual({ 'debit:4000': '16.91', 'credit:1200': '16.91' });
    expect(payout.idempotencyKey).toBe('evt-2:chargeback');
    expect(payout.transactionType).toBe('chargeback');
    expect(totals(payout)).toEqual({
      'debit:1200': '16.91',
      'credit:1300': '31.91',
      'debit:5100': '15.00',
    });
  });

  it('leaves the customer where they were, with both steps visible on the receivable', () => {
    const drafts = returnedPaymentEntries(
      'refund',
      { ...chargeback, fee: null },
      DEFAULT_POSTING_RULES,
    );
    const receivable = drafts.map((d) =>
      d.lines
        .filter((line) => line.accountCode === '1200')
        .map((line) => `${line.side} ${line.amount.toString()} ${line.counterpartyId}`),
    );

    expect(receivable).toEqual([['credit 16.91 customer-1'], ['debit 16.91 customer-1']]);
  });
});
