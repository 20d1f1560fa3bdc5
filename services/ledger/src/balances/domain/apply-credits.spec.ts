import { Money } from '@kontor/money';
import { applyCredits, customerBalanceState, receivableItems } from './apply-credits';

const eur = (amount: string) => Money.parse(amount, 'EUR');
const usd = (amount: string) => Money.parse(amount, 'USD');
const invoice = (id: string, amount: Money) => ({ id, amount });

function summary(result: ReturnType<typeof applyCredits<{ id: string; amount: Money }>>) {
  return {
    invoices: result.invoices.map((i) => [
      i.invoice.id,
      i.paid.toString(),
      i.open.toString(),
      i.status,
    ]),
    unapplied: result.unappliedCredit.map((m) => `${m.toString()} ${m.currency.code}`),
  };
}

describe(applyCredits.name, () => {
  it('covers the oldest invoice first and leaves the next one partly paid', () => {
    const result = applyCredits(
      [invoice('A', eur('100.00')), invoice('B', eur('50.00'))],
      [eur('120.00')],
    );
    expect(summary(result)).toEqual({
      invoices: [
        ['A', '100.00', '0.00', 'paid'],
        ['B', '20.00', '30.00', 'partly_paid'],
      ],
      unapplied: [],
    });
  });

  it('leaves unapplied credit after an overpayment or a credit note', () => {
    const result = applyCredits(
      [invoice('A', eur('100.00')), invoice('B', eur('50.00'))],
      [eur('120.00'), eur('40.00')],
    );
    expect(summary(result)).toEqual({
      invoices: [
        ['A', '100.00', '0.00', 'paid'],
        ['B', '50.00', '0.00', 'paid'],
      ],
      unapplied: ['10.00 EUR'],
    });
  });

  it('applies a credit note issued before the invoice automatically', () => {
    // The order of credits does not matter: the pool covers whatever invoices exist.
    const result = applyCredits([invoice('A', eur('25.00'))], [eur('40.00')]);
    expect(summary(result)).toEqual({
      invoices: [['A', '25.00', '0.00', 'paid']],
      unapplied: ['15.00 EUR'],
    });
  });

  it('is exact to the cent over many small payments', () => {
    const cents = Array.from({ length: 10 }, () => eur('0.10'));
    const result = applyCredits([invoice('A', eur('0.30')), invoice('B', eur('0.71'))], cents);
    expect(summary(result)).toEqual({
      invoices: [
        ['A', '0.30', '0.00', 'paid'],
        ['B', '0.70', '0.01', 'partly_paid'],
      ],
      unapplied: [],
    });
  });

  it('marks invoices with no credit unpaid', () => {
    const result = applyCredits([invoice('A', eur('10.00'))], []);
    expect(summary(result).invoices).toEqual([['A', '0.00', '10.00', 'unpaid']]);
  });

  it('re-opens invoices when a refund or chargeback takes credit back', () => {
    const result = applyCredits(
      [invoice('A', eur('100.00')), invoice('B', eur('50.00'))],
      [eur('150.00'), eur('-70.00')],
    );
    expect(summary(result)).toEqual({
      invoices: [
        ['A', '80.00', '20.00', 'partly_paid'],
        ['B', '0.00', '50.00', 'unpaid'],
      ],
      unapplied: [],
    });
  });

  it('covers nothing with a negative pool and reports no negative credit', () => {
    const result = applyCredits([invoice('A', eur('10.00'))], [eur('5.00'), eur('-8.00')]);
    expect(summary(result)).toEqual({
      invoices: [['A', '0.00', '10.00', 'unpaid']],
      unapplied: [],
    });
  });

  it('keeps currencies apart', () => {
    const result = applyCredits(
      [invoice('A', eur('100.00')), invoice('B', usd('50.00')), invoice('C', eur('10.00'))],
      [usd('80.00'), eur('105.00'), Money.parse('500', 'JPY')],
    );
    expect(summary(result)).toEqual({
      invoices: [
        ['A', '100.00', '0.00', 'paid'],
        ['B', '50.00', '0.00', 'paid'],
        ['C', '5.00', '5.00', 'partly_paid'],
      ],
      unapplied: ['500 JPY', '30.00 USD'],
    });
  });

  it('keeps open + paid = amount and Σ open − unapplied = balance for random books', () => {
    let seed = 7;
    const random = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed % n;
    };
    for (let round = 0; round < 200; round += 1) {
      const invoices = Array.from({ length: random(5) }, (_, i) =>
        invoice(`I${i}`, Money.fromMinor(BigInt(1 + random(10_000)), 'EUR')),
      );
      const credits = Array.from({ length: random(5) }, () =>
        Money.fromMinor(BigInt(random(12_000) - 2_000), 'EUR'),
      );
      const result = applyCredits(invoices, credits);
      const invoiced = invoices.reduce((sum, i) => sum.plus(i.amount), eur('0'));
      const credited = credits.reduce((sum, c) => sum.plus(c), eur('0'));
      const open = result.invoices.reduce((sum, i) => sum.plus(i.open), eur('0'));
      const unapplied = result.unappliedCredit[0] ?? eur('0');
      for (const applied of result.invoices) {
        expect(applied.paid.plus(applied.open).equals(applied.invoice.amount)).toBe(true);
        expect(applied.paid.isNegative() || applied.open.isNegative()).toBe(false);
      }
      if (!credited.isNegative()) {
        expect(open.minus(unapplied).equals(invoiced.minus(credited))).toBe(true);
      }
    }
  });

  it('rejects a non-positive invoice amount', () => {
    expect(() => applyCredits([invoice('A', eur('0.00'))], [])).toThrow(/must be positive/);
  });
});

describe(customerBalanceState.name, () => {
  it('uses the seeds: positive owes, negative credit, zero settled', () => {
    expect(customerBalanceState(eur('30.00'))).toBe('owes');
    expect(customerBalanceState(eur('-10.00'))).toBe('credit');
    expect(customerBalanceState(eur('0.00'))).toBe('settled');
  });
});

describe(receivableItems.name, () => {
  const movement = (
    entryId: string,
    transactionType: string,
    net: Money,
    reversesEntryId: string | null = null,
  ) => ({ entryId, transactionType, net, reversesEntryId });
  const shape = (items: ReturnType<typeof receivableItems>) => ({
    invoices: items.invoices.map((i) => [i.entryId, i.amount.toString()]),
    credits: items.credits.map((c) => c.toString()),
  });

  it('makes invoices of invoice entries that raise the balance, signed credits of the rest', () => {
    const items = receivableItems([
      movement('I1', 'invoice', eur('100.00')),
      movement('P1', 'payment', eur('-120.00')),
      movement('C1', 'credit_note', eur('-40.00')),
      movement('R1', 'refund', eur('10.00')),
      movement('K1', 'chargeback', eur('5.00')),
    ]);
    expect(shape(items)).toEqual({
      invoices: [['I1', '100.00']],
      credits: ['120.00', '40.00', '-10.00', '-5.00'],
    });
  });

  it('cancels a reversed invoice instead of paying it', () => {
    const items = receivableItems([
      movement('I1', 'invoice', eur('100.00')),
      movement('I2', 'invoice', eur('50.00')),
      movement('X1', 'invoice', eur('-100.00'), 'I1'),
      movement('P1', 'payment', eur('-50.00')),
    ]);
    expect(shape(items)).toEqual({ invoices: [['I2', '50.00']], credits: ['50.00'] });
    const applied = applyCredits(items.invoices, items.credits);
    expect(applied.invoices.map((i) => i.status)).toEqual(['paid']);
  });

  it('re-issues an invoice when its reversal is reversed', () => {
    const items = receivableItems([
      movement('I1', 'invoice', eur('100.00')),
      movement('X1', 'invoice', eur('-100.00'), 'I1'),
      movement('X2', 'invoice', eur('100.00'), 'X1'),
    ]);
    expect(shape(items)).toEqual({ invoices: [['X2', '100.00']], credits: [] });
  });

  it('takes credit back when a payment is reversed', () => {
    const items = receivableItems([
      movement('I1', 'invoice', eur('100.00')),
      movement('P1', 'payment', eur('-100.00')),
      movement('X1', 'payment', eur('100.00'), 'P1'),
    ]);
    expect(shape(items)).toEqual({ invoices: [['I1', '100.00']], credits: ['100.00', '-100.00'] });
  });
});
