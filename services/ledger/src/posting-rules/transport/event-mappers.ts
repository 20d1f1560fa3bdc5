import { timestampDate, type Timestamp } from '@bufbuild/protobuf/wkt';
import {
  type ChargebackReceived,
  type PaymentCaptured,
  type PaymentRefunded,
} from '@kontor/contracts/events/v1/payment_events_pb';
import {
  type CreditNoteIssued,
  type InvoiceIssued,
  type InvoiceLine,
} from '@kontor/contracts/events/v1/invoice_events_pb';
import { type Money as MoneyMessage } from '@kontor/contracts/type/v1/money_pb';
import { Money, MoneyError } from '@kontor/money';
import { PermanentEventError } from '@kontor/kafka';
import { isIsoDate } from '../../entries/domain/entry';
import { type BillingDocument } from '../domain/invoice-entries';
import { type CapturedPayment, type ReturnedPayment } from '../domain/payment-entries';

// Events come from other systems: anything malformed is a permanent failure (it goes to the
// dead-letter topic with this message), never a crash and never a retry loop.

function money(field: string, value: MoneyMessage | undefined, required: boolean): Money | null {
  if (!value || (value.amount === '' && value.currency === '')) {
    if (required) throw new PermanentEventError(`${field}: missing`);
    return null;
  }
  try {
    return Money.parse(value.amount, value.currency);
  } catch (error) {
    if (error instanceof MoneyError) throw new PermanentEventError(`${field}: ${error.message}`);
    throw error;
  }
}

function utcDate(field: string, time: Timestamp | undefined): string {
  if (!time) throw new PermanentEventError(`${field}: missing`);

  return timestampDate(time).toISOString().slice(0, 10);
}

// The posting engine's own date rule, so an event date is valid exactly when an entry date is.
function isoDate(field: string, value: string): string {
  if (!isIsoDate(value)) {
    throw new PermanentEventError(`${field}: "${value}" is not a date (YYYY-MM-DD)`);
  }

  return value;
}

function required(field: string, value: string): string {
  if (value.trim() === '') throw new PermanentEventError(`${field}: missing`);

  return value;
}

function sameCurrency(field: string, amounts: (Money | null)[]): void {
  const codes = new Set(amounts.filter((a): a is Money => a !== null).map((a) => a.currency.code));
  if (codes.size > 1) {
    throw new PermanentEventError(
      `${field}: amounts in several currencies (${[...codes].join(', ')})`,
    );
  }
}

export function toCapturedPayment(
  eventId: string,
  event: PaymentCaptured,
  customerId: string,
): CapturedPayment {
  if (event.lines.length === 0)
    throw new PermanentEventError('lines: a captured payment needs at least one line');
  const lines = event.lines.map((line, i) => {
    const net = money(`lines[${i}].net_amount`, line.netAmount, true)!;
    return {
      product: required(`lines[${i}].product`, line.product),
      net,
      tax: money(`lines[${i}].tax_amount`, line.taxAmount, false) ?? Money.zero(net.currency),
    };
  });
  const marketplaceFee = money('marketplace_fee', event.marketplaceFee, false);
  sameCurrency('lines', [...lines.flatMap((line) => [line.net, line.tax]), marketplaceFee]);

  return {
    eventId,
    paymentId: required('payment_id', event.paymentId),
    orderId: required('order_id', event.orderId),
    customerId,
    paymentMethod: event.paymentMethod,
    lines,
    marketplaceFee,
    capturedOn: utcDate('capture_time', event.captureTime),
  };
}

export function toReturnedPayment(
  eventId: string,
  event: PaymentRefunded | ChargebackReceived,
  customerId: string,
): ReturnedPayment {
  const refund = event.$typeName === 'kontor.events.v1.PaymentRefunded';
  const amount = money('amount', event.amount, true)!;
  const fee = refund ? null : money('chargeback_fee', event.chargebackFee, false);
  sameCurrency('amount', [amount, fee]);

  return {
    eventId,
    paymentId: required('payment_id', event.paymentId),
    returnId: required(
      refund ? 'refund_id' : 'chargeback_id',
      refund ? event.refundId : event.chargebackId,
    ),
    orderId: event.orderId,
    customerId,
    amount,
    fee,
    returnedOn: refund
      ? utcDate('refund_time', event.refundTime)
      : utcDate('receive_time', event.receiveTime),
    reason: refund ? event.reason : 'chargeback',
  };
}

function billedLines(lines: InvoiceLine[]): BillingDocument['lines'] {
  if (lines.length === 0)
    throw new PermanentEventError('lines: a billing document needs at least one line');
  const mapped = lines.map((line, i) => {
    const net = money(`lines[${i}].net_amount`, line.netAmount, true)!;
    return {
      description: line.description,
      product: line.product,
      net,
      tax: money(`lines[${i}].tax_amount`, line.taxAmount, false) ?? Money.zero(net.currency),
    };
  });
  sameCurrency(
    'lines',
    mapped.flatMap((line) => [line.net, line.tax]),
  );

  return mapped;
}

export function toBillingDocument(
  eventId: string,
  event: InvoiceIssued | CreditNoteIssued,
  customerId: string,
): BillingDocument {
  const invoice = event.$typeName === 'kontor.events.v1.InvoiceIssued';

  return {
    eventId,
    number: invoice
      ? required('invoice_number', event.invoiceNumber)
      : required('credit_note_number', event.creditNoteNumber),
    invoiceNumber: invoice ? undefined : event.invoiceNumber || undefined,
    customerId,
    issuedOn: isoDate('issue_date', event.issueDate),
    dueOn: invoice && event.dueDate !== '' ? isoDate('due_date', event.dueDate) : undefined,
    lines: billedLines(event.lines),
  };
}
