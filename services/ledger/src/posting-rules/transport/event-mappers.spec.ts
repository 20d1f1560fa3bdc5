import { create } from '@bufbuild/protobuf';
import { timestampFromDate } from '@bufbuild/protobuf/wkt';
import {
  ChargebackReceivedSchema,
  PaymentCapturedSchema,
} from '@kontor/contracts/events/v1/payment_events_pb';
import { InvoiceIssuedSchema } from '@kontor/contracts/events/v1/invoice_events_pb';
import { PermanentEventError } from '@kontor/kafka';
import { toBillingDocument, toCapturedPayment, toReturnedPayment } from './event-mappers';

const customerId = 'customer-1';
const capture = (overrides: Record<string, unknown> = {}) =>
  create(PaymentCapturedSchema, {
    tenantId: 't',
    paymentId: 'pay-1',
    orderId: 'order-1',
    vendorExternalId: 'v-1',
    customerExternalId: 'c-1',
    paymentMethod: 'card',
    lines: [
      {
        product: 'mug',
        netAmount: { amount: '10.00', currency: 'EUR' },
        taxAmount: { amount: '1.90', currency: 'EUR' },
      },
    ],
    captureTime: timestampFromDate(new Date('2026-03-14T23:30:00Z')),
    ...overrides,
  });

describe(toCapturedPayment.name, () => {
  it('maps exact amounts and the UTC capture date', () => {
    const payment = toCapturedPayment('evt-1', capture(), customerId);

    expect(payment.capturedOn).toBe('2026-03-14');
    expect(payment.lines[0].net.toString()).toBe('10.00');
    expect(payment.lines[0].tax.toString()).toBe('1.90');
    expect(payment.marketplaceFee).toBeNull();
  });

  it.each([
    [{ lines: [] }, /lines: a captured payment needs at least one line/],
    [
      { lines: [{ product: 'mug', netAmount: { amount: '1.234', currency: 'EUR' } }] },
      /lines\[0\]\.net_amount: .*3 fraction digits/,
    ],
    [
      { lines: [{ product: 'mug', netAmount: { amount: 'NaN', currency: 'EUR' } }] },
      /lines\[0\]\.net_amount/,
    ],
    [
      { lines: [{ product: 'mug', netAmount: { amount: '1', currency: 'XYZ' } }] },
      /lines\[0\]\.net_amount: .*XYZ/,
    ],
    [
      { lines: [{ product: '', netAmount: { amount: '1', currency: 'EUR' } }] },
      /lines\[0\]\.product: missing/,
    ],
    [{ marketplaceFee: { amount: '1', currency: 'USD' } }, /several currencies \(EUR, USD\)/],
    [{ captureTime: undefined }, /capture_time: missing/],
    [{ paymentId: '' }, /payment_id: missing/],
  ])('rejects %j as a permanent failure naming the field', (overrides, message) => {
    const attempt = () => toCapturedPayment('evt-1', capture(overrides), customerId);
    expect(attempt).toThrow(PermanentEventError);
    expect(attempt).toThrow(message);
  });
});

describe(toReturnedPayment.name, () => {
  it('maps a chargeback with its fee', () => {
    const returned = toReturnedPayment(
      'evt-2',
      create(ChargebackReceivedSchema, {
        paymentId: 'pay-1',
        chargebackId: 'cb-1',
        amount: { amount: '11.90', currency: 'EUR' },
        chargebackFee: { amount: '15.00', currency: 'EUR' },
        receiveTime: timestampFromDate(new Date('2026-04-02T10:00:00Z')),
      }),
      customerId,
    );
    expect(returned).toMatchObject({
      returnId: 'cb-1',
      returnedOn: '2026-04-02',
      reason: 'chargeback',
    });
    expect(returned.fee!.toString()).toBe('15.00');
  });
});

describe(toBillingDocument.name, () => {
  const invoice = (overrides: Record<string, unknown> = {}) =>
    create(InvoiceIssuedSchema, {
      invoiceNumber: 'INV-1',
      issueDate: '2026-05-01',
      dueDate: '2026-05-31',
      lines: [{ description: 'Desk', netAmount: { amount: '300.00', currency: 'EUR' } }],
      ...overrides,
    });

  it('maps an invoice with a zero tax when none is given', () => {
    const document = toBillingDocument('evt-3', invoice(), customerId);
    expect(document).toMatchObject({
      number: 'INV-1',
      issuedOn: '2026-05-01',
      dueOn: '2026-05-31',
    });
    expect(document.lines[0].tax.isZero()).toBe(true);
  });

  it.each(['2026-02-30', '01.05.2026', ''])('rejects the issue date %j', (issueDate) => {
    expect(() => toBillingDocument('evt-3', invoice({ issueDate }), customerId)).toThrow(
      /issue_date: .* is not a date/,
    );
  });
});
