import { Money } from '@kontor/money';
import { currencyOf, finishDraft, type DraftLine, type EntryDraft } from './entry-draft';
import { type PostingRules } from './posting-rules';

export interface PaymentProductLine {
  product: string;
  net: Money;
  tax: Money;
}

export interface CapturedPayment {
  eventId: string;
  paymentId: string;
  orderId: string;
  customerId: string;
  paymentMethod: string;
  lines: PaymentProductLine[];
  marketplaceFee: Money | null;
  /** "YYYY-MM-DD" (UTC date of the capture). */
  capturedOn: string;
}

export interface ReturnedPayment {
  eventId: string;
  paymentId: string;
  /** The refund's or chargeback's own id. */
  returnId: string;
  orderId: string;
  customerId: string;
  amount: Money;
  /** Chargebacks only: what the provider charged for it. */
  fee: Money | null;
  /** "YYYY-MM-DD". */
  returnedOn: string;
  reason: string;
}

/**
 * A captured order payment becomes up to three entries in the vendor's ledger:
 * - the sale: receivable from the customer (gross) against revenue per product and tax;
 * - the payment: clearing against the customer's receivable, which settles the sale;
 * - the marketplace fee, if any: fee expense against clearing (the operator keeps it).
 * Sale and payment are separate so the customer ledger shows the charge and the payment.
 */
export function capturedPaymentEntries(
  payment: CapturedPayment,
  rules: PostingRules,
): EntryDraft[] {
  const { accounts, journals } = rules;
  const gross = payment.lines.reduce(
    (sum, line) => sum.plus(line.net).plus(line.tax),
    Money.zero(currencyOf(payment.lines)),
  );
  const taxTotal = payment.lines.reduce(
    (sum, line) => sum.plus(line.tax),
    Money.zero(gross.currency),
  );
  const common = { orderId: payment.orderId };
  const receivable = (side: DraftLine['side']): DraftLine => ({
    ...common,
    accountCode: accounts.receivable,
    side,
    amount: gross,
    counterpartyId: payment.customerId,
  });
  const drafts = [
    finishDraft({
      idempotencyKey: `${payment.eventId}:sale`,
      journalSymbol: journals.sales,
      entryDate: payment.capturedOn,
      transactionType: 'revenue',
      reference: payment.orderId,
      description: `order ${payment.orderId}`,
      lines: [
        receivable('debit'),
        ...payment.lines.map((line) => ({
          ...common,
          accountCode: accounts.revenue,
          side: 'credit' as const,
          amount: line.net,
          product: line.product,
        })),
        { ...common, accountCode: accounts.tax, side: 'credit', amount: taxTotal },
      ],
    }),
    finishDraft({
      idempotencyKey: `${payment.eventId}:payment`,
      journalSymbol: journals.payments,
      entryDate: payment.capturedOn,
      transactionType: 'payment',
      paymentMethod: payment.paymentMethod,
      reference: payment.paymentId,
      description: `payment ${payment.paymentId} for order ${payment.orderId}`,
      lines: [
        { ...common, accountCode: accounts.clearing, side: 'debit', amount: gross },
        receivable('credit'),
      ],
    }),
  ];
  const fee = payment.marketplaceFee;
  if (fee && !fee.isZero()) {
    drafts.push(
      finishDraft({
        idempotencyKey: `${payment.eventId}:fee`,
        journalSymbol: journals.payments,
        entryDate: payment.capturedOn,
        transactionType: 'fee',
        reference: payment.paymentId,
        description: `marketplace fee on order ${payment.orderId}`,
        lines: [
          { ...common, accountCode: accounts.marketplaceFees, side: 'debit', amount: fee },
          { ...common, accountCode: accounts.clearing, side: 'credit', amount: fee },
        ],
      }),
    );
  }

  return drafts;
}

/**
 * A refund or chargeback gives gross money back, as two entries so the customer ledger shows
 * both steps: the revenue is reversed into credit for the customer (receivable down), then the
 * money leaves through clearing and uses that credit up (receivable back up). A chargeback fee is
 * its own expense on the second entry.
 */
export function returnedPaymentEntries(
  kind: 'refund' | 'chargeback',
  returned: ReturnedPayment,
  rules: PostingRules,
): EntryDraft[] {
  const { accounts, journals } = rules;
  const common = { orderId: returned.orderId };
  const customer = {
    ...common,
    accountCode: accounts.receivable,
    counterpartyId: returned.customerId,
  };
  const fee = returned.fee && !returned.fee.isZero() ? returned.fee : null;
  const what = `${kind} ${returned.returnId} of payment ${returned.paymentId}`;

  return [
    finishDraft({
      idempotencyKey: `${returned.eventId}:reversal`,
      journalSymbol: journals.sales,
      entryDate: returned.returnedOn,
      transactionType: 'adjustment',
      reference: returned.returnId,
      description: `revenue reversed for ${what}`,
      lines: [
        { ...common, accountCode: accounts.revenue, side: 'debit', amount: returned.amount },
        { ...customer, side: 'credit', amount: returned.amount },
      ],
    }),
    finishDraft({
      idempotencyKey: `${returned.eventId}:${kind}`,
      journalSymbol: journals.payments,
      entryDate: returned.returnedOn,
      transactionType: kind,
      reference: returned.returnId,
      description: `${what}: ${returned.reason}`.trim(),
      lines: [
        { ...customer, side: 'debit', amount: returned.amount },
        { ...common, accountCode: accounts.clearing, side: 'credit', amount: returned.amount },
        ...(fee
          ? [
              {
                ...common,
                accountCode: accounts.chargebackFees,
                side: 'debit' as const,
                amount: fee,
              },
              { ...common, accountCode: accounts.clearing, side: 'credit' as const, amount: fee },
            ]
          : []),
      ],
    }),
  ];
}
