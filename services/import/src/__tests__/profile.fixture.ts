import { type ProfileDefinition } from '../profiles/domain/profile';

const LEDGER = '11111111-2222-4333-8444-555555555555';

export function profile(overrides: Partial<ProfileDefinition> = {}): ProfileDefinition {
  return {
    file: {
      delimiter: ',',
      quote: '"',
      escape: '"',
      encoding: 'utf-8',
      hasHeader: true,
      skipRows: 0,
    },
    values: {
      decimalSeparator: '.',
      thousandsSeparator: '',
      negativeStyles: ['leading-minus'],
      dateFormats: ['YYYY-MM-DD'],
    },
    date: 'Date',
    amount: { kind: 'signed', amount: 'Amount' },
    currency: { fixed: 'EUR' },
    ledger: { ledgerId: LEDGER },
    journalSymbol: 'BANK',
    account: { code: '4000', column: null, byValue: {} },
    contraAccountCode: '1000',
    counterparty: null,
    product: null,
    reference: 'Ref',
    description: null,
    uniqueColumns: ['Ref'],
    transactionType: 7,
    ...overrides,
  };
}
