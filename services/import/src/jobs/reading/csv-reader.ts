import { Readable } from 'node:stream';
import { parse, type CsvError, type Options } from 'csv-parse';
import iconv from 'iconv-lite';
import { type FileFormat } from '../../profiles/domain/profile';
import { ImportError, ImportErrorCode } from '../../profiles/domain/import.errors';

/** A record of the file: fields as text and the 1-based line it starts on (in the whole file). */
export interface CsvRecord {
  fields: string[];
  line: number;
}

export interface ReadOptions {
  /** Largest record accepted, in characters; a longer one fails the file naming its line. */
  maxRecordChars?: number;
  /** Called with the count of raw bytes handed to the decoder so far (progress). */
  onBytes?: (bytes: number) => void;
  /** Called once with the delimiter the file is read with (the profile's, or detected). */
  onDelimiter?: (delimiter: string) => void;
}

export const DEFAULT_MAX_RECORD_CHARS = 16 * 1024 * 1024;
const DETECT_WINDOW_CHARS = 64 * 1024;
const DELIMITER_CANDIDATES = [',', ';', '\t', '|'];

function unreadable(message: string): ImportError {
  return new ImportError(ImportErrorCode.FILE_UNREADABLE, message);
}

async function* decode(
  chunks: AsyncIterable<Uint8Array> | Iterable<Uint8Array>,
  format: FileFormat,
  onBytes: (bytes: number) => void,
): AsyncGenerator<string> {
  let bytes = 0;
  let decodeChunk: ((chunk: Buffer) => string) | null = null;
  let flush: () => string = () => '';
  for await (const raw of chunks) {
    const chunk = Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength);
    if (chunk.length === 0) continue;
    if (decodeChunk === null) ({ decodeChunk, flush } = decoderFor(format, chunk));
    let text: string;
    try {
      text = decodeChunk(chunk);
    } catch {
      throw unreadable(
        `the file is not valid ${format.encoding.toUpperCase()} near byte ${bytes}: binary data, or set the profile's encoding`,
      );
    }
    if (text.includes('\u0000')) {
      throw unreadable(
        `the file holds NUL characters near byte ${bytes}: binary data, or UTF-16 without a byte order mark`,
      );
    }
    bytes += chunk.length;
    onBytes(bytes);
    yield text;
  }
  if (bytes === 0) throw unreadable('the file is empty (0 bytes)');
  const rest = flush();
  if (rest !== '') yield rest;
}

function decoderFor(format: FileFormat, first: Buffer) {
  if (format.encoding === 'utf-8') {
    // fatal: invalid UTF-8 (binary garbage, a Latin-1 file) is an error, never U+FFFD.
    const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });

    return {
      decodeChunk: (chunk: Buffer) => decoder.decode(chunk, { stream: true }),
      flush: () => decoder.decode(),
    };
  }
  let encoding: string = format.encoding;
  if (format.encoding === 'utf-16') {
    if (first[0] === 0xff && first[1] === 0xfe) encoding = 'utf-16le';
    else if (first[0] === 0xfe && first[1] === 0xff) encoding = 'utf-16be';
    else throw unreadable('the file does not start with a UTF-16 byte order mark (FF FE or FE FF)');
  }
  const decoder = iconv.getDecoder(encoding, { stripBOM: true });

  return {
    decodeChunk: (chunk: Buffer) => decoder.write(chunk),
    flush: () => decoder.end() ?? '',
  };
}

/** Drops the first `count` lines of the text (banners above the data). */
async function* skipLines(text: AsyncIterable<string>, count: number): AsyncGenerator<string> {
  let left = count;
  for await (let chunk of text) {
    while (left > 0) {
      const newline = chunk.indexOf('\n');
      if (newline < 0) break;
      chunk = chunk.slice(newline + 1);
      left -= 1;
    }
    if (left > 0) continue;
    if (chunk !== '') yield chunk;
  }
}

/** Counts a candidate per line, outside double quotes; picks the one used consistently. */
export function detectDelimiter(sample: string, quote = '"'): string {
  const lines = sample
    .split(/\r?\n/)
    .slice(0, -1)
    .filter((line) => line.trim() !== '');
  const probe = lines.slice(0, 20);
  let best = { delimiter: ',', score: 0 };
  for (const delimiter of DELIMITER_CANDIDATES) {
    const counts = probe.map((line) => {
      let inside = false;
      let count = 0;
      for (const char of line) {
        if (char === quote) inside = !inside;
        else if (char === delimiter && !inside) count += 1;
      }

      return count;
    });
    if (counts.length === 0 || Math.min(...counts) === 0) continue;
    const consistent = counts.filter((c) => c === counts[0]).length / counts.length;
    const score = consistent * 1000 + Math.min(...counts);
    if (score > best.score) best = { delimiter, score };
  }

  return best.delimiter;
}

async function* withDetectedDelimiter(
  text: AsyncIterable<string>,
  found: (delimiter: string) => void,
  quote: string,
): AsyncGenerator<string> {
  let sample = '';
  let detected = false;
  for await (const chunk of text) {
    if (detected) {
      yield chunk;
      continue;
    }
    sample += chunk;
    if (sample.length < DETECT_WINDOW_CHARS) continue;
    found(detectDelimiter(sample, quote));
    detected = true;
    yield sample;
  }
  if (!detected) {
    found(detectDelimiter(sample.endsWith('\n') ? sample : `${sample}\n`, quote));
    if (sample !== '') yield sample;
  }
}

function describeCsvError(error: CsvError, lineOffset: number, lastLine: number): ImportError {
  const line = (error as CsvError & { lines?: number }).lines;
  const at = line === undefined ? '' : ` at line ${line + lineOffset}`;
  const what: Record<string, string> = {
    CSV_QUOTE_NOT_CLOSED: `broken quotes: a quoted field opened after line ${lastLine} (the last complete row) is never closed`,
    CSV_INVALID_CLOSING_QUOTE: `broken quotes${at}: a closing quote is followed by text instead of a delimiter`,
    CSV_MAX_RECORD_SIZE: `a record${at} is longer than the accepted maximum`,
  };

  return unreadable(what[error.code] ?? `cannot read the CSV${at}: ${error.message}`);
}

/**
 * Reads a CSV file from its raw chunks as the profile says: decoding (BOM aware), skipped banner
 * lines, delimiter (or detection), quote and escape. Streams with backpressure: memory stays
 * bounded by the chunk size and the largest record. Records come with their starting line;
 * blank lines (and lines of only delimiters) are dropped. Unreadable input (bad encoding, broken
 * quotes, an oversized record) throws FILE_UNREADABLE naming the line.
 */
export async function* readCsv(
  chunks: AsyncIterable<Uint8Array> | Iterable<Uint8Array>,
  format: FileFormat,
  options: ReadOptions = {},
): AsyncGenerator<CsvRecord> {
  const onBytes = options.onBytes ?? (() => undefined);
  let text = skipLines(decode(chunks, format, onBytes), format.skipRows);
  let delimiter = format.delimiter ?? ',';
  if (format.delimiter === null) {
    text = withDetectedDelimiter(text, (found) => (delimiter = found), format.quote);
  }
  // Pull the first chunk so a detected delimiter is known before the parser is built.
  const first = await text.next();
  if (first.done) return;
  options.onDelimiter?.(delimiter);
  const source = Readable.from(
    (async function* () {
      yield first.value;
      yield* text;
    })(),
    { objectMode: false },
  );
  let lastLine = format.skipRows;
  // csv-parse counts a CRLF inside quotes as two lines (one outside): corrected here so row
  // numbers are the lines an editor shows.
  let overcount = 0;
  const parserOptions: Options<CsvRecord, string[]> = {
    delimiter,
    quote: format.quote,
    escape: format.escape,
    relax_column_count: true,
    relax_quotes: true,
    skip_empty_lines: true,
    max_record_size: options.maxRecordChars ?? DEFAULT_MAX_RECORD_CHARS,
    // Runs in the parser, ahead of the consumer: also where the last complete record ended.
    on_record: (fields: string[], context: { lines: number }): CsvRecord | null => {
      let breaks = 0;
      for (const field of fields) {
        overcount += count(field, '\r\n');
        breaks += count(field, '\r') + count(field, '\n') - count(field, '\r\n');
      }
      lastLine = context.lines - overcount + format.skipRows;
      if (fields.every((field) => field.trim() === '')) return null;

      return { fields, line: lastLine - breaks };
    },
  };
  // on_record turns records into CsvRecords, which the non-generic overload does not model.
  const parser = parse(parserOptions as unknown as Options);
  source.on('error', (error) => parser.destroy(error));
  source.pipe(parser);
  try {
    yield* parser as AsyncIterable<CsvRecord>;
  } catch (error) {
    if (error instanceof ImportError) throw error;
    if (error instanceof Error && 'code' in error) {
      throw describeCsvError(error as CsvError, format.skipRows, lastLine);
    }
    throw error;
  } finally {
    source.destroy();
  }
}

function count(text: string, what: string): number {
  let found = 0;
  for (let i = text.indexOf(what); i >= 0; i = text.indexOf(what, i + what.length)) found += 1;

  return found;
}
