import { profile } from '../../__tests__/profile.fixture';
import { type FileFormat } from '../../profiles/domain/profile';
import { readCsv } from './csv-reader';
import { csvRecord, textEncoder } from './csv-writer';

const FORMAT: FileFormat = profile().file;

const TRICKY = [
  ['plain', '1.234,56', 'a;b', 'say "hi"', "it's", 'back\\slash', 'two\nlines', '', 'Müller £'],
  ['x', '(7,00)', 'C\r\nD', '"', "'", '\\', '\\"', "\\'", ',;|', 'ÿ'],
];

/** Writes records in the format's encoding and reads them back with the same format. */
async function roundTrip(format: FileFormat, records: string[][]) {
  const encoder = textEncoder(format.encoding);
  const text = records.map((fields) => csvRecord(fields, format, format.delimiter!)).join('');
  const bytes = Buffer.concat([encoder.write(text), encoder.end()]);
  const back: string[][] = [];
  for await (const record of readCsv([bytes], format)) back.push(record.fields);

  return back;
}

describe('csvRecord', () => {
  it('quotes only the fields that need it, doubling quotes', () => {
    expect(csvRecord(['a', 'b,c', 'say "hi"', 'two\nlines', ''], FORMAT, ',')).toBe(
      'a,"b,c","say ""hi""","two\nlines",\n',
    );
    expect(csvRecord(['1,5', 'x;y'], FORMAT, ';')).toBe('1,5;"x;y"\n');
  });

  it('uses the profile quote and escape, escaping both inside a quoted field', () => {
    const format = { quote: "'", escape: '\\' };

    expect(csvRecord(["it's", "a\\b'c", 'a\\b', 'plain'], format, ',')).toBe(
      "'it\\'s','a\\\\b\\'c',a\\b,plain\n",
    );
  });

  it.each<[string, Partial<FileFormat>]>([
    ['comma, UTF-8', {}],
    ['semicolon, Windows-1252', { delimiter: ';', encoding: 'windows-1252' }],
    ['tab, ISO-8859-1', { delimiter: '\t', encoding: 'iso-8859-1' }],
    ['pipe, UTF-16 with BOM', { delimiter: '|', encoding: 'utf-16' }],
    ['single quote, backslash escape', { quote: "'", escape: '\\' }],
  ])('reads back exactly with the same profile: %s', async (_name, overrides) => {
    const format = { ...FORMAT, ...overrides };

    expect(await roundTrip(format, TRICKY)).toEqual(TRICKY);
  });

  it('writes the profile encoding: Windows-1252 bytes, UTF-16 with its byte order mark', () => {
    expect(textEncoder('windows-1252').write('€ü')).toEqual(Buffer.from([0x80, 0xfc]));
    expect(textEncoder('utf-16').write('a')).toEqual(Buffer.from([0xff, 0xfe, 0x61, 0x00]));
    expect(textEncoder('utf-8').write('ü')).toEqual(Buffer.from('ü', 'utf8'));
  });
});
