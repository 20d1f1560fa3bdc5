import { type Money } from '@kontor/money';
import { type EntryInput, type EntryLineInput } from '../../entries/domain/entry';

/**
 * Accounts a finalized deal settlement posts to, by code of the default chart. The payer books
 * the payees' share as cost of sales owed to them (payable); each payee books it as revenue owed
 * to it (receivable), under 4100, the chart's account for revenue earned from other parties'
 * sales (fees, commissions, shares). A claw-back (negative share) turns each side around: the
 * payer has a receivable from the payee, the payee a payable to the payer.
 */
export const SETTLEMENT_ACCOUNTS = {
  payerExpense: '5000',
  payable: '2000',
  receivable: '1200',
  payeeRevenue: '4100',
} as const;

export interface SettlementShareInput {
  settlementId: string;
  dealId: string;
  dealName: string;
  periodLabel: string;
  /** Entry date: the last day of the period. */
  periodEnd: string;
  payerOrganizationId: string;
  payeeOrganizationId: string;
  amount: Money;
}

/** Where one side of a share posts: the party's primary ledger and its journal. */
export interface PartyBook {
  ledgerId: string;
  journalSymbol: string;
}

function line(
  accountCode: string,
  side: 'debit' | 'credit',
  amount: Money,
  counterpartyId: string,
  dealId: string,
): EntryLineInput {
  return {
    accountCode,
    side,
    amount: amount.toString(),
    currency: amount.currency.code,
    counterpartyId,
    product: '',
    orderId: '',
    dealId,
    memo: '',
  };
}

function entry(
  share: SettlementShareInput,
  book: PartyBook,
  role: 'payer' | 'payee',
  lines: EntryLineInput[],
): EntryInput {
  return {
    // One entry per settlement, party and side: a redelivered event maps to the same keys.
    idempotencyKey: `settlement:${share.settlementId}:${share.payeeOrganizationId}:${role}`,
    ledgerId: book.ledgerId,
    journalSymbol: book.journalSymbol,
    entryDate: share.periodEnd,
    transactionType: 'revenue_share',
    paymentMethod: '',
    reference: share.settlementId,
    description: `deal ${share.dealName.slice(0, 300)} ${share.periodLabel}: ${role === 'payer' ? 'share owed' : 'share earned'}`,
    lines,
    source: 'settlement',
    dueDate: '',
  };
}

/** The payer's entry for one payee's share (none for a zero share). */
export function payerEntry(share: SettlementShareInput, book: PartyBook): EntryInput | null {
  if (share.amount.isZero()) return null;
  const amount = share.amount.abs();
  const { payerExpense, payable, receivable } = SETTLEMENT_ACCOUNTS;
  const payee = share.payeeOrganizationId;
  const lines = share.amount.isPositive()
    ? [
        line(payerExpense, 'debit', amount, '', share.dealId),
        line(payable, 'credit', amount, payee, share.dealId),
      ]
    : [
        line(receivable, 'debit', amount, payee, share.dealId),
        line(payerExpense, 'credit', amount, '', share.dealId),
      ];

  return entry(share, book, 'payer', lines);
}

/** The payee's entry for its share (none for a zero share). */
export function payeeEntry(share: SettlementShareInput, book: PartyBook): EntryInput | null {
  if (share.amount.isZero()) return null;
  const amount = share.amount.abs();
  const { payeeRevenue, payable, receivable } = SETTLEMENT_ACCOUNTS;
  const payer = share.payerOrganizationId;
  const lines = share.amount.isPositive()
    ? [
        line(receivable, 'debit', amount, payer, share.dealId),
        line(payeeRevenue, 'credit', amount, '', share.dealId),
      ]
    : [
        line(payeeRevenue, 'debit', amount, '', share.dealId),
        line(payable, 'credit', amount, payer, share.dealId),
      ];

  return entry(share, book, 'payee', lines);
}
