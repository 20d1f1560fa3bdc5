import { type ProfileDefinition } from '../../profiles/domain/profile';
import { profile } from '../../__tests__/profile.fixture';
import { mapRow, planRows, type RowPlan } from './row-mapper';

function plan(definition: ProfileDefinition, header: string[] | null, width = 3): RowPlan {
  const planned = planRows(definition, header, header?.length ?? width, 'tenant/profile');
  if ('problems' in planned) throw new Error(planned.problems.join('; '));

  return planned.plan;
}

describe('mapRow', () => {
  const header = ['Date', 'Amount', 'Ref'];

  it('maps a positive amount to debit contra, credit the mapped account', () => {
    const outcome = mapRow(plan(profile(), header), ['2026-03-01', '12.50', 'A-1'], 2);
    expect(outcome).toMatchObject({
      ok: true,
      row: {
        entryDate: '2026-03-01',
        debitAccount: '1000',
        creditAccount: '4000',
        reference: 'A-1',
      },
    });
    if (outcome.ok) expect(outcome.row.amount.toString()).toBe('12.50');
  });

  it('maps a negative amount the other way round', () => {
    const outcome = mapRow(plan(profile(), header), ['2026-03-01', '-3', 'A-2'], 2);
    expect(outcome).toMatchObject({
      ok: true,
      row: { debitAccount: '4000', creditAccount: '1000' },
    });
  });

  it('names row, column, raw value and reason for every bad value of a row', () => {
    const outcome = mapRow(plan(profile(), header), ['01/02/2026', '12,50', 'A-3'], 7);
    expect(outcome).toEqual({
      ok: false,
      errors: [
        {
          rowNumber: 7,
          column: 'Date',
          rawValue: '01/02/2026',
          reason: expect.stringContaining('date does not match YYYY-MM-DD'),
        },
        {
          rowNumber: 7,
          column: 'Amount',
          rawValue: '12,50',
          reason: expect.stringContaining('not a number'),
        },
      ],
    });
  });

  it('makes a ragged row a row error', () => {
    const outcome = mapRow(plan(profile(), header), ['2026-03-01', '1'], 4);
    expect(outcome).toMatchObject({
      ok: false,
      errors: [{ rowNumber: 4, reason: 'has 2 fields, expected 3' }],
    });
  });

  it('reads debit and credit columns: debit negates, exactly one must be filled', () => {
    const definition = profile({ amount: { kind: 'debit-credit', debit: 'Out', credit: 'In' } });
    const p = plan(definition, ['Date', 'Out', 'In', 'Ref']);
    const out = mapRow(p, ['2026-03-01', '5.00', '', 'x'], 2);
    const both = mapRow(p, ['2026-03-01', '5.00', '1', 'y'], 3);
    expect(out.ok && out.row.amount.toString()).toBe('-5.00');
    expect(both).toMatchObject({
      ok: false,
      errors: [{ reason: expect.stringContaining('both of debit and credit') }],
    });
  });

  it('maps the account by a column value, falling back to the fixed code or erring', () => {
    const account = { code: null, column: 'Cat', byValue: { SUB: '4100', ADS: '4200' } };
    const p = plan(profile({ account }), ['Date', 'Amount', 'Ref', 'Cat']);
    expect(mapRow(p, ['2026-03-01', '1', 'a', 'ADS'], 2)).toMatchObject({
      row: { creditAccount: '4200' },
    });
    expect(mapRow(p, ['2026-03-01', '1', 'b', 'XXX'], 3)).toMatchObject({
      ok: false,
      errors: [{ column: 'Cat', rawValue: 'XXX', reason: 'has no account mapped in the profile' }],
    });
  });

  it('reads the currency from a column and its decimals from the currency', () => {
    const p = plan(profile({ currency: { column: 'Cur' } }), ['Date', 'Amount', 'Ref', 'Cur']);
    expect(mapRow(p, ['2026-03-01', '1200', 'a', 'JPY'], 2)).toMatchObject({ ok: true });
    expect(mapRow(p, ['2026-03-01', '1.5', 'a', 'JPY'], 2)).toMatchObject({ ok: false });
    expect(mapRow(p, ['2026-03-01', '1.5', 'a', 'EURO'], 2)).toMatchObject({
      errors: [{ column: 'Cur', reason: 'is not an ISO 4217 currency code' }],
    });
  });

  it('addresses columns by position when the file has no header', () => {
    const definition = profile({
      file: { ...profile().file, hasHeader: false },
      date: '1',
      amount: { kind: 'signed', amount: '2' },
      reference: '3',
      uniqueColumns: ['3'],
    });
    const outcome = mapRow(plan(definition, null, 3), ['2026-03-01', '2', 'r'], 1);
    expect(outcome).toMatchObject({ ok: true, row: { reference: 'r' } });
  });

  it('identifies a row by its unique columns, whatever else changes', () => {
    const p = plan(profile(), header);
    const a = mapRow(p, ['2026-03-01', '1', 'A-1'], 2);
    const b = mapRow(p, ['2026-03-02', '2', ' A-1 '], 9);
    const c = mapRow(p, ['2026-03-01', '1', 'A-2'], 2);
    expect(a.ok && b.ok && a.row.identity === b.row.identity).toBe(true);
    expect(a.ok && c.ok && a.row.identity !== c.row.identity).toBe(true);
  });

  it('identifies a row by its whole content when no unique column is named', () => {
    const p = plan(profile({ uniqueColumns: [] }), header);
    const a = mapRow(p, ['2026-03-01', '1', 'A-1'], 2);
    const b = mapRow(p, ['2026-03-01', '2', 'A-1'], 2);
    expect(a.ok && b.ok && a.row.identity !== b.row.identity).toBe(true);
  });

  it('refuses a zero amount and an over-long description', () => {
    const p = plan(profile({ description: 'Text' }), ['Date', 'Amount', 'Ref', 'Text']);
    const outcome = mapRow(p, ['2026-03-01', '0.00', 'z', 'x'.repeat(600)], 2);
    expect(outcome).toMatchObject({
      ok: false,
      errors: [
        { column: 'Amount', reason: 'amount is zero: nothing to post' },
        { column: 'Text', reason: 'is longer than 500 characters' },
      ],
    });
  });
});

describe('planRows', () => {
  it('names every profile column missing from the header', () => {
    const planned = planRows(profile(), ['Datum', 'Betrag', 'Ref'], 3, 'p');
    expect(planned).toEqual({
      problems: [
        'column "Date" is not in the header ("Datum", "Betrag", "Ref")',
        'column "Amount" is not in the header ("Datum", "Betrag", "Ref")',
      ],
    });
  });

  it('matches header names trimmed and case-insensitively', () => {
    expect(planRows(profile(), [' date ', 'AMOUNT', 'ref'], 3, 'p')).toHaveProperty('plan');
  });
});
