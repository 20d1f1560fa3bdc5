import { randomUUID } from 'node:crypto';
import { Money } from '@kontor/money';
import { CLIENT_SOURCES, isIsoDate, validateEntry, type EntryInput } from './entry';
import { EntryError, EntryErrorCode } from './entry.errors';
import { planPosting, type PostingLookups } from './posting-plan';

const LEDGER = '6f1f8c1e-3c4b-4b7a-9a43-0e6f1c2d3e4f';

function line(over: Partial<EntryInput['lines'][number]> = {}): EntryInput['lines'][number] {
  return {
    accountCode: '1000',
    side: 'debit',
    amount: '10.00',
    currency: 'EUR',
    counterpartyId: '',
    product: '',
    orderId: '',
    dealId: '',
    memo: '',
    ...over,
  };
}

function input(over: Partial<EntryInput> = {}): EntryInput {
  return {
    idempotencyKey: 'k-1',
    ledgerId: LEDGER,
    journalSymbol: 'cash',
    entryDate: '2026-03-15',
    transactionType: 'payment',
    paymentMethod: '',
    reference: '',
    description: '',
    dueDate: '',
    source: '',
    lines: [line(), line({ accountCode: '4000', side: 'credit' })],
    ...over,
  };
}

const options = { allowedSources: CLIENT_SOURCES };

function violationsOf(entry: EntryInput): string[] {
  try {
    validateEntry(entry, options);
  } catch (error) {
    if (error instanceof EntryError) return error.fieldViolations.map((v) => v.field);
    throw error;
  }

  return [];
}

describe('validateEntry', () => {
  it('normalizes a good entry: upper-case symbol, api source, canonical amounts, digest', () => {
    const command = validateEntry(input(), options);
    expect(command).toMatchObject({ journalSymbol: 'CASH', source: 'api', paymentMethod: null });
    expect(command.lines[0].amount.toString()).toBe('10.00');
    expect(command.digest).toHaveLength(32);
  });

  it('gives equal requests equal digests and different ones different digests', () => {
    const a = validateEntry(input(), options).digest;
    expect(validateEntry(input({ journalSymbol: 'CASH' }), options).digest.equals(a)).toBe(true);
    expect(validateEntry(input({ description: 'x' }), options).digest.equals(a)).toBe(false);
  });

  it.each<[string, Partial<EntryInput>, string]>([
    ['empty key', { idempotencyKey: '' }, 'idempotency_key'],
    ['201-char key', { idempotencyKey: 'k'.repeat(201) }, 'idempotency_key'],
    ['bad ledger id', { ledgerId: 'nope' }, 'ledger_id'],
    ['empty journal', { journalSymbol: '' }, 'journal_symbol'],
    ['journal with spaces', { journalSymbol: 'CA SH' }, 'journal_symbol'],
    ['empty date', { entryDate: '' }, 'entry_date'],
    ['Feb 30', { entryDate: '2026-02-30' }, 'entry_date'],
    ['slashes', { entryDate: '2026/03/01' }, 'entry_date'],
    ['no type', { transactionType: '' }, 'transaction_type'],
    ['long payment method', { paymentMethod: 'p'.repeat(51) }, 'payment_method'],
    ['long reference', { reference: 'r'.repeat(201) }, 'reference'],
    ['10 KB description', { description: 'd'.repeat(10_240) }, 'description'],
    ['bad due date', { dueDate: '2026-04-31' }, 'due_date'],
    ['source event', { source: 'event' }, 'source'],
    ['one line', { lines: [line()] }, 'lines'],
    ['501 lines', { lines: Array.from({ length: 501 }, () => line()) }, 'lines'],
    [
      'empty account',
      { lines: [line({ accountCode: '' }), line({ side: 'credit' })] },
      'lines[0].account_code',
    ],
    ['no side', { lines: [line(), line({ side: '' })] }, 'lines[1].side'],
    [
      'negative',
      { lines: [line({ amount: '-10.00' }), line({ side: 'credit' })] },
      'lines[0].amount',
    ],
    ['zero', { lines: [line(), line({ amount: '0', side: 'credit' })] }, 'lines[1].amount'],
    ['NaN', { lines: [line({ amount: 'NaN' }), line({ side: 'credit' })] }, 'lines[0].amount'],
    ['1e400', { lines: [line({ amount: '1e400' }), line({ side: 'credit' })] }, 'lines[0].amount'],
    [
      'empty amount',
      { lines: [line({ amount: '' }), line({ side: 'credit' })] },
      'lines[0].amount',
    ],
    [
      '1.234 EUR',
      { lines: [line({ amount: '1.234' }), line({ side: 'credit' })] },
      'lines[0].amount',
    ],
    [
      '1.5 JPY',
      { lines: [line({ amount: '1.5', currency: 'JPY' }), line({ side: 'credit' })] },
      'lines[0].amount',
    ],
    [
      'unknown currency',
      { lines: [line({ currency: 'ABC' }), line({ side: 'credit' })] },
      'lines[0].amount.currency',
    ],
    [
      'bad counterparty',
      { lines: [line({ counterpartyId: 'x' }), line({ side: 'credit' })] },
      'lines[0].counterparty_id',
    ],
    [
      'long product',
      { lines: [line({ product: 'p'.repeat(201) }), line({ side: 'credit' })] },
      'lines[0].product',
    ],
  ])('rejects %s naming %s', (_, change, field) => {
    expect(violationsOf(input(change))).toContain(field);
  });

  it('collects every violation at once', () => {
    expect(
      violationsOf(
        input({
          idempotencyKey: '',
          entryDate: 'x',
          lines: [line({ amount: 'NaN' }), line({ side: '' })],
        }),
      ),
    ).toEqual(['idempotency_key', 'entry_date', 'lines[0].amount', 'lines[1].side']);
  });

  it('rejects an unbalanced entry naming the currency and both sums', () => {
    const entry = input({
      lines: [
        line({ amount: '10.00' }),
        line({ side: 'credit', amount: '9.99' }),
        line({ amount: '5', currency: 'JPY' }),
        line({ side: 'credit', amount: '5', currency: 'JPY' }),
      ],
    });
    expect(() => validateEntry(entry, options)).toThrow(
      expect.objectContaining({
        code: EntryErrorCode.UNBALANCED_ENTRY,
        message: expect.stringContaining('EUR: debits 10.00 != credits 9.99'),
      }),
    );
  });

  it('refuses sums beyond the supported magnitude as INVALID_ENTRY, not a crash', () => {
    const big = '9'.repeat(28);
    const entry = input({
      lines: [
        line({ amount: big }),
        line({ amount: big }),
        line({ side: 'credit', amount: big }),
        line({ side: 'credit', amount: big }),
      ],
    });
    expect(() => validateEntry(entry, options)).toThrow(
      expect.objectContaining({ code: EntryErrorCode.INVALID_ENTRY }),
    );
  });

  it.each(['2024-02-29', '2026-12-31', '2026-01-01'])('accepts the real date %s', (date) => {
    expect(isIsoDate(date)).toBe(true);
  });
  it.each(['2026-02-29', '2026-00-10', '2026-1-01', '0999-01-01', ''])('refuses %s', (date) => {
    expect(isIsoDate(date)).toBe(false);
  });
});

describe('planPosting', () => {
  function lookups(): PostingLookups {
    return {
      ledgers: new Map([[LEDGER, { lastSequence: 7n }]]),
      existing: new Map(),
      accounts: new Map([
        [`${LEDGER}|1000`, { id: 'cash', balanceLimit: 'no_negative' }],
        [`${LEDGER}|4000`, { id: 'revenue', balanceLimit: null }],
      ]),
      months: new Map([[`${LEDGER}|2026-03-01`, { status: 'open', fiscalYearId: 'fy' }]]),
      journals: new Map([['fy|CASH', { id: 'j', symbol: 'Cash', nextNumber: 3n }]]),
      counterparties: new Set(),
      balances: new Map([['cash|EUR', Money.parse('15.00', 'EUR')]]),
      reversed: new Set(),
    };
  }
  const cmd = (key: string, side: 'debit' | 'credit', amount = '10.00') =>
    validateEntry(
      input({
        idempotencyKey: key,
        lines: [
          line({ side, amount }),
          line({ accountCode: '4000', side: side === 'debit' ? 'credit' : 'debit', amount }),
        ],
      }),
      options,
    );

  it('numbers accepted entries, rejects the one breaking the limit alone, replays repeated keys', () => {
    const plan = planPosting(
      [
        cmd('a', 'credit'),
        cmd('b', 'credit'),
        cmd('a', 'credit'),
        cmd('c', 'debit'),
        cmd('a', 'debit'),
      ],
      lookups(),
      randomUUID,
    );
    expect(plan.map((p) => p.kind)).toEqual([
      'accepted',
      'rejected',
      'replayed',
      'accepted',
      'rejected',
    ]);
    expect(plan[0]).toMatchObject({ number: 3n, ledgerSequence: 8n, journalSymbol: 'Cash' });
    expect(plan[3]).toMatchObject({ number: 4n, ledgerSequence: 9n });
    expect(plan[1]).toMatchObject({
      error: {
        code: EntryErrorCode.BALANCE_LIMIT_EXCEEDED,
        message: expect.stringContaining('-5.00 EUR'),
      },
    });
    expect(plan[4]).toMatchObject({ error: { code: EntryErrorCode.IDEMPOTENCY_KEY_REUSED } });
  });

  it('refuses a closed or missing month and an unknown journal', () => {
    const l = lookups();
    l.months.set(`${LEDGER}|2026-04-01`, { status: 'closed', fiscalYearId: 'fy' });
    const at = (entryDate: string, journalSymbol = 'CASH') =>
      validateEntry(input({ entryDate, journalSymbol }), options);
    const plan = planPosting(
      [at('2026-04-02'), at('2026-05-02'), at('2026-03-02', 'BANK')],
      l,
      randomUUID,
    );
    expect(plan.map((p) => (p.kind === 'rejected' ? p.error.code : p.kind))).toEqual([
      EntryErrorCode.PERIOD_NOT_OPEN,
      EntryErrorCode.PERIOD_NOT_OPEN,
      EntryErrorCode.JOURNAL_NOT_FOUND,
    ]);
  });
});
