import { styleText } from 'node:util';
import Table from 'cli-table3';
import { stringify } from 'csv-stringify/sync';
import { type ExitCodeValue, usageError } from '../exit-codes';

export const FORMATS = ['table', 'json', 'csv'] as const;
export type Format = (typeof FORMATS)[number];

export interface Column<T> {
  header: string;
  cell: (row: T) => string;
  /** Amounts and counts read best right-aligned. */
  align?: 'left' | 'right';
}

/**
 * What a command prints: the same result as rows for people and as JSON for scripts, and the
 * exit code when the result itself is a failure (e.g. a batch with rejected entries).
 */
export type Printable = (
  | { kind: 'table'; header: string[]; rows: string[][]; align: ('left' | 'right')[] }
  | { kind: 'record'; fields: [string, string][] }
  | { kind: 'message'; text: string }
) & { json: unknown; exitCode?: ExitCodeValue };

export function tableOf<T>(rows: readonly T[], columns: Column<T>[], json: unknown): Printable {
  return {
    kind: 'table',
    header: columns.map((column) => column.header),
    rows: rows.map((row) => columns.map((column) => column.cell(row))),
    align: columns.map((column) => column.align ?? 'left'),
    json,
  };
}

export function recordOf(fields: [string, string][], json: unknown): Printable {
  return { kind: 'record', fields, json };
}

export function messageOf(text: string, json: unknown): Printable {
  return { kind: 'message', text, json };
}

export interface Stream {
  write(text: string): unknown;
  isTTY?: boolean;
}

type Style = Parameters<typeof styleText>[0];

/** Prints results in the chosen format; colour only on a terminal and never under NO_COLOR. */
export class Output {
  readonly colour: boolean;

  constructor(
    readonly format: Format,
    private readonly stdout: Stream,
    private readonly stderr: Stream,
    env: NodeJS.ProcessEnv,
  ) {
    this.colour =
      env['FORCE_COLOR'] !== undefined && env['FORCE_COLOR'] !== '0'
        ? true
        : Boolean(stdout.isTTY) && env['NO_COLOR'] === undefined && env['TERM'] !== 'dumb';
  }

  static parseFormat(value: string): Format {
    if ((FORMATS as readonly string[]).includes(value)) return value as Format;
    throw usageError(`--output must be one of ${FORMATS.join(', ')} (got "${value}")`);
  }

  paint(style: Style, text: string): string {
    return this.colour ? styleText(style, text) : text;
  }

  print(result: Printable): void {
    if (this.format === 'json') {
      this.stdout.write(`${JSON.stringify(result.json, null, 2)}\n`);
      return;
    }
    if (this.format === 'csv') {
      this.stdout.write(toCsv(result));
      return;
    }
    this.stdout.write(`${this.render(result)}\n`);
  }

  /** Progress and hints for people: stderr, so stdout stays clean for pipes. */
  note(text: string): void {
    this.stderr.write(`${text}\n`);
  }

  /** The human-readable form, for commands that compose several results into one text. */
  render(result: Printable): string {
    switch (result.kind) {
      case 'message':
        return result.text;
      case 'record': {
        const width = Math.max(...result.fields.map(([name]) => name.length));
        return result.fields
          .map(([name, value]) => `${this.paint('bold', name.padEnd(width))}  ${value}`)
          .join('\n');
      }
      case 'table': {
        if (result.rows.length === 0) return this.paint('dim', '(none)');
        const table = new Table({
          head: result.header.map((header) => this.paint('bold', header)),
          colAligns: result.align,
          style: { head: [], border: [], compact: true },
        });
        table.push(...result.rows);
        return table.toString();
      }
    }
  }
}

function toCsv(result: Printable): string {
  const lines: string[][] =
    result.kind === 'table'
      ? [result.header, ...result.rows]
      : result.kind === 'record'
        ? [['field', 'value'], ...result.fields]
        : [['message'], [result.text]];
  return stringify(lines);
}
