import { Money } from '@kontor/money';
import { billingEntry, type BillingDocument } from './invoice-entries';
import { DEFAULT_POSTING_RULES } from './posting-rules';

const eur = (amount: string) => Money.parse(amount, 'EUR');

const invoice: BillingDocument = {
  eventId: 'evt-9',
  number: 'INV-2026-001',
  customerId: 'customer-1',
  issuedOn: '2026-05-01',
  dueOn: '2026-05-31',
  lines: [
    { description: 'Desk, May', product: 'desk', net: eur('300.00'), tax: eur('57.00') },
    { description: 'Coffee', product: '', net: eur('12.50'), tax: eur('0.00') },
  ],
};

describe(billingEntry.name, () => {
  it('raises the customer receivable by the gross amount against revenue per line and tax', () => {
    const draft = billingEntry('invoice', invoice, DEFAULT_POSTING_RULES);

    expect(draft.transactionType).toBe('invoice');
    expect(draft.reference).toBe('INV-2026-001');
    expect(draft.dueDate).toBe('2026-05-31');
    expect(
      draft.lines.map((l) => [
        l.side,
        l.accountCode,
        l.amount.toString(),
        l.counterpartyId ?? l.product,
      ]),
    ).toEqual([
      ['debit', '1200', '369.50', 'customer-1'],
      ['credit', '4000', '300.00', 'desk'],
      ['credit', '4000', '12.50', undefined],
      ['credit', '2100', '57.00', undefined],
    ]);
  });

  it('mirrors a credit note so it lowers the receivable, naming the corrected invoice', () => {
    const draft = billingEntry(
      'credit_note',
      { ...invoice, number: 'CN-7', invoiceNumber: 'INV-2026-001', dueOn: undefined },
      DEFAULT_POSTING_RULES,
    );

    expect(draft.transactionType).toBe('credit_note');
    expect(draft.description).toBe('credit note CN-7 for invoice INV-2026-001');
    expect(draft.lines[0]).toMatchObject({ side: 'credit', accountCode: '1200' });
    expect(draft.lines.slice(1).every((line) => line.side === 'debit')).toBe(true);
    expect(draft.dueDate).toBeUndefined();
  });
});
