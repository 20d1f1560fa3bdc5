import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';

// RFC 4180 CSV (csv-stringify): fields with a comma, quote, CR or LF are quoted, quotes doubled;
// lines end CRLF. A field starting with =, +, - or @ that is not a number is prefixed with ' so a
// spreadsheet does not run it as a formula (names and descriptions come from callers).

const NUMBER = /^-?\d+(\.\d+)?$/;

const defused = (value: string) =>
  /^[=+\-@\t\r]/.test(value) && !NUMBER.test(value) ? `'${value}` : value;

export function csvLine(values: readonly string[]): string {
  return stringify([values.map(defused)], { record_delimiter: '\r\n' });
}

/** A CSV column: its header and how a row fills it, so the two can never drift apart. */
export type CsvColumn<T> = readonly [header: string, cell: (row: T) => string];

/** A header line, then one line per row (rows may arrive asynchronously, page by page). */
export async function* csvTable<T>(
  columns: readonly CsvColumn<T>[],
  rows: Iterable<T> | AsyncIterable<T>,
): AsyncGenerator<string> {
  yield csvLine(columns.map(([header]) => header));
  for await (const row of rows) yield csvLine(columns.map(([, cell]) => cell(row)));
}

/** Parses CSV text (as written by csvLine) back into rows of fields; for tests and tools. */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = parse(text, { relax_column_count: true });

  return rows;
}
