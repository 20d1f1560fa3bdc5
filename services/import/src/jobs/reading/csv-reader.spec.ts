import iconv from 'iconv-lite';
import { type FileFormat } from '../../profiles/domain/profile';
import { detectDelimiter, readCsv } from './csv-reader';

const FORMAT: FileFormat = {
  delimiter: ',',
  quote: '"',
  escape: '"',
  encoding: 'utf-8',
  hasHeader: true,
  skipRows: 0,
};

function* chunked(bytes: Buffer, size = 7) {
  for (let i = 0; i < bytes.length; i += size) yield bytes.subarray(i, i + size);
}

async function read(input: Buffer | string, format: Partial<FileFormat> = {}, size = 7) {
  const bytes = typeof input === 'string' ? Buffer.from(input, 'utf8') : input;
  const records: [number, string[]][] = [];
  for await (const record of readCsv(chunked(bytes, size), { ...FORMAT, ...format })) {
    records.push([record.line, record.fields]);
  }

  return records;
}

describe('readCsv', () => {
  it('reads quoted fields holding delimiters, quotes and newlines, with their start lines', async () => {
    const text = 'a,b\n"x, y","say ""hi"""\n"multi\nline",2\n3,4\n';
    expect(await read(text)).toEqual([
      [1, ['a', 'b']],
      [2, ['x, y', 'say "hi"']],
      [3, ['multi\nline', '2']],
      [5, ['3', '4']],
    ]);
  });

  it('skips blank lines, lines of only delimiters and trailing lines, keeping line numbers', async () => {
    expect(await read('a,b\r\n\r\n1,2\r\n,\r\n\r\n3,4\r\n\r\n\r\n')).toEqual([
      [1, ['a', 'b']],
      [3, ['1', '2']],
      [6, ['3', '4']],
    ]);
  });

  it('drops a UTF-8 byte order mark', async () => {
    const bytes = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('Datum,x\n1,2\n')]);
    expect((await read(bytes))[0]).toEqual([1, ['Datum', 'x']]);
  });

  it('reads UTF-16 little and big endian by their byte order mark', async () => {
    const text = 'Größe;€\n1;2\n';
    const le = Buffer.concat([Buffer.from([0xff, 0xfe]), iconv.encode(text, 'utf-16le')]);
    const be = Buffer.concat([Buffer.from([0xfe, 0xff]), iconv.encode(text, 'utf-16be')]);
    const expected = [
      [1, ['Größe', '€']],
      [2, ['1', '2']],
    ];
    expect(await read(le, { encoding: 'utf-16', delimiter: ';' })).toEqual(expected);
    expect(await read(be, { encoding: 'utf-16', delimiter: ';' })).toEqual(expected);
  });

  it('refuses UTF-16 without a byte order mark', async () => {
    await expect(read(iconv.encode('a;b\n', 'utf-16le'), { encoding: 'utf-16' })).rejects.toThrow(
      'does not start with a UTF-16 byte order mark',
    );
  });

  it('reads Windows-1252 and ISO-8859-1', async () => {
    expect(
      await read(iconv.encode('Café,€\n', 'windows-1252'), { encoding: 'windows-1252' }),
    ).toEqual([[1, ['Café', '€']]]);
    expect(
      await read(iconv.encode('Müller,x\n', 'iso-8859-1'), { encoding: 'iso-8859-1' }),
    ).toEqual([[1, ['Müller', 'x']]]);
  });

  it('refuses binary garbage as UTF-8, naming the encoding', async () => {
    const garbage = Buffer.from([0x50, 0x4b, 0x03, 0x04, 0xff, 0xd8, 0x00, 0x9c, 0xfe]);
    await expect(read(garbage)).rejects.toThrow(/not valid UTF-8 near byte/);
  });

  it('refuses NUL characters', async () => {
    await expect(read(Buffer.from('a,b\n1,\u00002\n'))).rejects.toThrow(/NUL characters/);
  });

  it('refuses an empty file', async () => {
    await expect(read('')).rejects.toThrow('the file is empty (0 bytes)');
  });

  it('skips banner rows, even with stray quotes, and counts lines from the top of the file', async () => {
    const text = 'Statement "March\nexported 2026\nd,a\n1,2\n';
    expect(await read(text, { skipRows: 2 })).toEqual([
      [3, ['d', 'a']],
      [4, ['1', '2']],
    ]);
  });

  it('detects the delimiter when the profile leaves it open', async () => {
    expect(await read('a;b;c\n1,5;2;"x;y"\n', { delimiter: null })).toEqual([
      [1, ['a', 'b', 'c']],
      [2, ['1,5', '2', 'x;y']],
    ]);
  });

  it('hands ragged rows through as they are (the mapper reports them)', async () => {
    expect(await read('a,b,c\n1,2\n1,2,3,4\n')).toEqual([
      [1, ['a', 'b', 'c']],
      [2, ['1', '2']],
      [3, ['1', '2', '3', '4']],
    ]);
  });

  it('fails on an unclosed quote, naming the last complete row before it', async () => {
    await expect(read('a,b\n1,2\n\n"open,2\n3,4\n')).rejects.toThrow(
      'broken quotes: a quoted field opened after line 2 (the last complete row) is never closed',
    );
  });

  it('keeps stray quotes inside unquoted fields as text', async () => {
    expect(await read('a,b\n12 "big" box,2\n')).toEqual([
      [1, ['a', 'b']],
      [2, ['12 "big" box', '2']],
    ]);
  });

  it('reads a 5 MB line and refuses a record beyond the cap, naming its line', async () => {
    const long = 'x'.repeat(5 * 1024 * 1024);
    const records = await read(`a,b\n1,${long}\n`, {}, 64 * 1024);
    expect(records[1][1][1]).toHaveLength(long.length);
    const capped = readCsv(chunked(Buffer.from(`a,b\n1,2\n3,${long}\n`), 65536), FORMAT, {
      maxRecordChars: 1024 * 1024,
    });
    await expect(
      (async () => {
        for await (const record of capped) void record;
      })(),
    ).rejects.toThrow('a record at line 3 is longer than the accepted maximum');
  });
});

describe('detectDelimiter', () => {
  it.each([
    ['a,b,c\n1,2,3\n', ','],
    ['a;b;c\n1,5;2,5;3\n', ';'],
    ['a\tb\n1\t2\n', '\t'],
    ['a|b\n1|2\n', '|'],
    ['"x,y";b\n"1,2";3\n', ';'],
  ])('finds the delimiter of %p', (sample, expected) => {
    expect(detectDelimiter(sample)).toBe(expected);
  });
});

describe('readCsv line numbers', () => {
  it.each([
    ['LF', '\n'],
    ['CRLF', '\r\n'],
  ])('counts a %s inside quotes as one line, like an editor', async (_name, eol) => {
    const text = ['h', '"a', 'b"', 'c', '"x', 'y', 'z"', 'd', ''].join(eol);
    expect((await read(text)).map(([line]) => line)).toEqual([1, 2, 4, 5, 8]);
  });
});
