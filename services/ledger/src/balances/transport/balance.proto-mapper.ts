import { type MessageInitShape } from '@bufbuild/protobuf';
import {
  CustomerBalanceState,
  InvoiceStatus,
  type InvoiceSchema,
  type LedgerEntryRowSchema,
} from '@kontor/contracts/ledger/v1/balance_service_pb';
import { TransactionType } from '@kontor/contracts/ledger/v1/entry_service_pb';
import { type Money } from '@kontor/money';
import {
  type AppliedInvoice,
  type CustomerBalanceState as DomainState,
  type InvoiceStatus as DomainStatus,
} from '../domain/apply-credits';
import { type InvoiceItem, type ListingRow } from '../balances.service';

export function toMoneyMessage(money: Money): { amount: string; currency: string } {
  return { amount: money.toString(), currency: money.currency.code };
}

/** entries.transaction_type holds the enum's name without its prefix, in lower case. */
export function toTransactionType(stored: string): TransactionType {
  const value = (TransactionType as unknown as Record<string, number | undefined>)[
    stored.toUpperCase()
  ];

  return value === undefined ? TransactionType.UNSPECIFIED : value;
}

export function toCustomerBalanceState(state: DomainState): CustomerBalanceState {
  switch (state) {
    case 'owes':
      return CustomerBalanceState.OWES;
    case 'credit':
      return CustomerBalanceState.CREDIT;
    case 'settled':
      return CustomerBalanceState.SETTLED;
  }
}

function toInvoiceStatus(status: DomainStatus): InvoiceStatus {
  switch (status) {
    case 'unpaid':
      return InvoiceStatus.UNPAID;
    case 'partly_paid':
      return InvoiceStatus.PARTLY_PAID;
    case 'paid':
      return InvoiceStatus.PAID;
  }
}

export function toInvoiceMessage(
  applied: AppliedInvoice<InvoiceItem>,
): MessageInitShape<typeof InvoiceSchema> {
  const { invoice } = applied;

  return {
    entryId: invoice.entryId,
    reference: invoice.reference,
    entryDate: invoice.entryDate,
    dueDate: invoice.dueDate,
    amount: toMoneyMessage(invoice.amount),
    paid: toMoneyMessage(applied.paid),
    open: toMoneyMessage(applied.open),
    status: toInvoiceStatus(applied.status),
  };
}

export function toLedgerEntryRowMessage(
  row: ListingRow,
): MessageInitShape<typeof LedgerEntryRowSchema> {
  return {
    entryId: row.entryId,
    journalSymbol: row.journalSymbol,
    number: row.number,
    entryDate: row.entryDate,
    transactionType: toTransactionType(row.transactionType),
    reference: row.reference,
    customerName: row.customerName,
    paymentMethod: row.paymentMethod,
    amount: toMoneyMessage(row.amount),
    runningBalance: toMoneyMessage(row.runningBalance),
    description: row.description,
  };
}
