import { randomUUID } from 'node:crypto';
import { create, type DescMessage, type MessageShape } from '@bufbuild/protobuf';
import { timestampNow } from '@bufbuild/protobuf/wkt';
import { InvoiceIssuedSchema } from '@kontor/contracts/events/v1/invoice_events_pb';
import {
  PaymentCapturedSchema,
  PaymentRefundedSchema,
} from '@kontor/contracts/events/v1/payment_events_pb';
import { BILLING_INVOICES_TOPIC, PAYMENTS_EVENTS_TOPIC } from '@kontor/events';
import { createEventProducer, encodeEvent, type TopicDefinition } from '@kontor/kafka';
import { cliKafka, connectKafka } from './kafka-access';

// Events as order and billing systems publish them, for trying Kontor out (`kontor events
// publish`, `kontor demo`). The CloudEvents id is derived from the business id, so publishing
// the same payment or invoice twice is applied once.

const EVENT_SOURCE = '/kontor/cli';

export interface SampleEvent {
  topic: TopicDefinition;
  key: string;
  id: string;
  schema: DescMessage;
  message: MessageShape<DescMessage>;
}

export interface PublishedEvent {
  event: SampleEvent;
  partition: number | undefined;
  offset: string | undefined;
}

const sample = <S extends DescMessage>(
  topic: TopicDefinition,
  event: { key: string; id: string; schema: S; message: MessageShape<S> },
): SampleEvent => ({ topic, ...event });

export interface PaymentSample {
  tenantId: string;
  vendor: string;
  customer: string;
  currency: string;
  amount: string;
  tax: string;
  fee: string;
  product: string;
  method: string;
  orderId?: string;
  paymentId?: string;
}

export function paymentCaptured(payment: PaymentSample): SampleEvent {
  const paymentId = payment.paymentId ?? randomUUID();
  const orderId = payment.orderId ?? `order-${paymentId.slice(0, 8)}`;
  const money = (amount: string) => ({ amount, currency: payment.currency });
  return sample(PAYMENTS_EVENTS_TOPIC, {
    key: orderId,
    id: `payment-captured:${paymentId}`,
    schema: PaymentCapturedSchema,
    message: create(PaymentCapturedSchema, {
      tenantId: payment.tenantId,
      paymentId,
      orderId,
      vendorExternalId: payment.vendor,
      customerExternalId: payment.customer,
      paymentMethod: payment.method,
      lines: [
        {
          product: payment.product,
          netAmount: money(payment.amount),
          taxAmount: money(payment.tax),
        },
      ],
      marketplaceFee: money(payment.fee),
      captureTime: timestampNow(),
    }),
  });
}

export interface RefundSample {
  tenantId: string;
  vendor: string;
  customer: string;
  paymentId: string;
  orderId: string;
  amount: string;
  currency: string;
  reason: string;
}

export function paymentRefunded(refund: RefundSample): SampleEvent {
  const refundId = randomUUID();
  return sample(PAYMENTS_EVENTS_TOPIC, {
    key: refund.orderId,
    id: `payment-refunded:${refundId}`,
    schema: PaymentRefundedSchema,
    message: create(PaymentRefundedSchema, {
      tenantId: refund.tenantId,
      paymentId: refund.paymentId,
      refundId,
      orderId: refund.orderId,
      vendorExternalId: refund.vendor,
      customerExternalId: refund.customer,
      amount: { amount: refund.amount, currency: refund.currency },
      reason: refund.reason,
      refundTime: timestampNow(),
    }),
  });
}

export interface InvoiceSample {
  tenantId: string;
  issuer: string;
  customer: string;
  number: string;
  currency: string;
  amount: string;
  tax: string;
  issueDate: string;
  dueDate: string;
  product: string;
  description: string;
}

export function invoiceIssued(invoice: InvoiceSample): SampleEvent {
  const money = (amount: string) => ({ amount, currency: invoice.currency });
  return sample(BILLING_INVOICES_TOPIC, {
    key: invoice.customer,
    // CloudEvents ids are unique per source, and every tenant publishes from this one source:
    // the tenant is part of the id, so one tenant's INV-1001 never hides another's.
    id: `invoice-issued:${invoice.tenantId}:${invoice.issuer}:${invoice.number}`,
    schema: InvoiceIssuedSchema,
    message: create(InvoiceIssuedSchema, {
      tenantId: invoice.tenantId,
      invoiceNumber: invoice.number,
      issuerExternalId: invoice.issuer,
      customerExternalId: invoice.customer,
      issueDate: invoice.issueDate,
      dueDate: invoice.dueDate,
      lines: [
        {
          description: invoice.description,
          product: invoice.product,
          netAmount: money(invoice.amount),
          taxAmount: money(invoice.tax),
        },
      ],
      issueTime: timestampNow(),
    }),
  });
}

/** Sends the events in order, each acknowledged by all in-sync replicas before the next. */
export async function publishEvents(
  brokers: string[],
  events: SampleEvent[],
): Promise<PublishedEvent[]> {
  const producer = createEventProducer(cliKafka(brokers));
  await connectKafka(producer, brokers);
  try {
    const published: PublishedEvent[] = [];
    for (const event of events) {
      const record = encodeEvent(event.topic, { ...event, source: EVENT_SOURCE, time: new Date() });
      const [metadata] = await producer.send({
        topic: record.topic,
        acks: -1,
        messages: [{ key: record.key, value: record.value, headers: record.headers }],
      });
      published.push({ event, partition: metadata?.partition, offset: metadata?.baseOffset });
    }
    return published;
  } finally {
    await producer.disconnect();
  }
}
