import { Money } from '@kontor/money';
import { payeeEntry, payerEntry, type SettlementShareInput } from './settlement-entries';

const PAYER = '00000000-0000-4000-8000-000000000001';
const PAYEE = '00000000-0000-4000-8000-000000000002';
const share = (amount: string): SettlementShareInput => ({
  settlementId: '00000000-0000-4000-8000-0000000000aa',
  dealId: '00000000-0000-4000-8000-0000000000dd',
  dealName: 'Reseller',
  periodLabel: '2026-03',
  periodEnd: '2026-03-31',
  payerOrganizationId: PAYER,
  payeeOrganizationId: PAYEE,
  amount: Money.parse(amount, 'EUR'),
});
const book = { ledgerId: '00000000-0000-4000-8000-0000000000ff', journalSymbol: 'SALES' };
const sides = (input: ReturnType<typeof payerEntry>) =>
  input?.lines.map((l) => `${l.side} ${l.accountCode} ${l.amount} ${l.counterpartyId}`);

describe('settlement entries', () => {
  it('books a share as the payer’s cost owed to the payee and the payee’s revenue owed by the payer', () => {
    expect(sides(payerEntry(share('123.45'), book))).toEqual([
      'debit 5000 123.45 ',
      `credit 2000 123.45 ${PAYEE}`,
    ]);
    expect(sides(payeeEntry(share('123.45'), book))).toEqual([
      `debit 1200 123.45 ${PAYER}`,
      'credit 4100 123.45 ',
    ]);
  });

  it('turns a claw-back around: the payee owes the payer', () => {
    expect(sides(payerEntry(share('-10.00'), book))).toEqual([
      `debit 1200 10.00 ${PAYEE}`,
      'credit 5000 10.00 ',
    ]);
    expect(sides(payeeEntry(share('-10.00'), book))).toEqual([
      'debit 4100 10.00 ',
      `credit 2000 10.00 ${PAYER}`,
    ]);
  });

  it('keys each entry by settlement, party and side, dated the period end, source settlement', () => {
    const payer = payerEntry(share('1'), book)!;
    const payee = payeeEntry(share('1'), book)!;

    expect(payer.idempotencyKey).toBe(
      `settlement:00000000-0000-4000-8000-0000000000aa:${PAYEE}:payer`,
    );
    expect(payee.idempotencyKey).toBe(
      `settlement:00000000-0000-4000-8000-0000000000aa:${PAYEE}:payee`,
    );
    expect([payer.entryDate, payer.source, payer.transactionType]).toEqual([
      '2026-03-31',
      'settlement',
      'revenue_share',
    ]);
  });

  it('posts nothing for a zero share', () => {
    expect(payerEntry(share('0'), book)).toBeNull();
    expect(payeeEntry(share('0'), book)).toBeNull();
  });
});
