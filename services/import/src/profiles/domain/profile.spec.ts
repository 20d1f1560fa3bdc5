import { profile } from '../../__tests__/profile.fixture';
import { ImportError } from './import.errors';
import { assertValidProfile } from './profile';

function violations(run: () => void): string[] {
  try {
    run();
  } catch (error) {
    if (error instanceof ImportError) return error.fieldViolations.map((v) => v.field);
    throw error;
  }

  return [];
}

describe('assertValidProfile', () => {
  it('accepts a complete profile', () => {
    expect(violations(() => assertValidProfile('Bank', profile()))).toEqual([]);
  });

  it('names every bad field at once', () => {
    const bad = profile({
      file: {
        delimiter: ';;',
        quote: '"',
        escape: '"',
        encoding: 'utf-8',
        hasHeader: false,
        skipRows: -1,
      },
      values: {
        decimalSeparator: ',',
        thousandsSeparator: ',',
        negativeStyles: [],
        dateFormats: ['DD.MM'],
      },
      currency: { fixed: 'XXY' },
      ledger: { ledgerId: 'not-a-uuid' },
      contraAccountCode: '',
      journalSymbol: '',
    });
    expect(violations(() => assertValidProfile('', bad))).toEqual([
      'name',
      'file.delimiter',
      'file.skip_rows',
      'values.thousands_separator',
      'values.negative_styles',
      'values.date_formats[0]',
      'date',
      'amount.amount',
      'reference',
      'unique_columns[0]',
      'contra_account_code',
      'fixed_currency',
      'ledger_id',
      'journal_symbol',
    ]);
  });

  it('needs a counterparty column to take the ledger from it', () => {
    const bad = profile({ ledger: { fromCounterparty: true } });
    expect(violations(() => assertValidProfile('x', bad))).toEqual(['ledger_from_counterparty']);
  });
});
