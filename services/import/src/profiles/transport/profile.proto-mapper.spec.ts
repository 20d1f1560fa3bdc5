import { create } from '@bufbuild/protobuf';
import {
  FileEncoding,
  NegativeStyle,
  ProfileDefinitionSchema,
} from '@kontor/contracts/imports/v1/import_profile_pb';
import { profile } from '../../__tests__/profile.fixture';
import { type ProfileDefinition } from '../domain/profile';
import { fromProtoDefinition, toProtoDefinition } from './profile.proto-mapper';

describe('profile proto mapping', () => {
  it.each<[string, ProfileDefinition]>([
    ['a signed amount with a fixed ledger', profile()],
    [
      'debit/credit columns, a currency column, accounts by value, the counterparty ledger',
      profile({
        file: {
          delimiter: null,
          quote: "'",
          escape: '\\',
          encoding: 'windows-1252',
          hasHeader: true,
          skipRows: 3,
        },
        values: {
          decimalSeparator: ',',
          thousandsSeparator: ' ',
          negativeStyles: ['parentheses', 'cr-suffix'],
          dateFormats: ['DD.MM.YYYY', 'YYYYMMDD'],
        },
        amount: { kind: 'debit-credit', debit: 'Out', credit: 'In' },
        currency: { column: 'Cur' },
        ledger: { fromCounterparty: true },
        account: { code: '4000', column: 'Cat', byValue: { SUB: '4100' } },
        counterparty: 'Partner',
        product: 'Sku',
        description: 'Text',
        uniqueColumns: ['Ref', 'Partner'],
      }),
    ],
  ])('round-trips %s', (_name, definition) => {
    const wire = create(ProfileDefinitionSchema, toProtoDefinition(definition));
    expect(fromProtoDefinition(wire)).toEqual(definition);
  });

  it('fills the defaults of an almost empty definition', () => {
    const wire = create(ProfileDefinitionSchema, {
      date: { column: 'Date' },
      amount: { amount: { column: 'Amount' } },
      fixedCurrency: 'eur',
    });
    expect(fromProtoDefinition(wire)).toMatchObject({
      file: {
        delimiter: null,
        quote: '"',
        escape: '"',
        encoding: 'utf-8',
        hasHeader: false,
        skipRows: 0,
      },
      values: {
        decimalSeparator: '.',
        thousandsSeparator: '',
        negativeStyles: ['leading-minus'],
        dateFormats: ['YYYY-MM-DD'],
      },
      currency: { fixed: 'EUR' },
    });
  });

  it('maps every encoding and negative style of the wire', () => {
    const wire = create(ProfileDefinitionSchema, {
      file: { encoding: FileEncoding.UTF16 },
      values: { negativeStyles: [NegativeStyle.TRAILING_MINUS, NegativeStyle.LEADING_MINUS] },
    });
    const mapped = fromProtoDefinition(wire);
    expect([mapped.file.encoding, mapped.values.negativeStyles]).toEqual([
      'utf-16',
      ['trailing-minus', 'leading-minus'],
    ]);
  });

  it('refuses a separator it cannot read, naming the field', () => {
    const wire = create(ProfileDefinitionSchema, { values: { thousandsSeparator: '_' } });
    expect(() => fromProtoDefinition(wire)).toThrow('values.thousands_separator');
  });
});
