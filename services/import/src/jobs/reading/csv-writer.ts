import { stringify } from 'csv-stringify/sync';
import iconv from 'iconv-lite';
import { type Encoding, type FileFormat } from '../../profiles/domain/profile';

/**
 * One CSV record that the profile's reader gives back field for field (csv-stringify with the
 * profile's quote and escape): a field is quoted when it holds the delimiter, the quote, the escape
 * or a line break, and the quote and the escape inside it are escaped.
 */
export function csvRecord(
  fields: readonly string[],
  format: Pick<FileFormat, 'quote' | 'escape'>,
  delimiter: string,
): string {
  return stringify([fields], {
    delimiter,
    quote: format.quote,
    escape: format.escape,
    record_delimiter: '\n',
  });
}

export interface TextEncoder {
  write(text: string): Buffer;
  end(): Buffer;
}

/**
 * Text to bytes in a profile's encoding, so a file written with it reads back with the same
 * profile: UTF-8 without a BOM, UTF-16 little-endian with its BOM (the profile requires one),
 * Windows-1252 and ISO-8859-1 as they are (a character they lack becomes "?"; the rows' own
 * text came from the file in that encoding, so only an error message could hold one).
 */
export function textEncoder(encoding: Encoding): TextEncoder {
  if (encoding === 'utf-8') {
    return { write: (text) => Buffer.from(text, 'utf8'), end: () => Buffer.alloc(0) };
  }
  const encoder = iconv.getEncoder(encoding === 'utf-16' ? 'utf-16le' : encoding, {
    addBOM: encoding === 'utf-16',
  });

  return { write: (text) => encoder.write(text), end: () => encoder.end() ?? Buffer.alloc(0) };
}
