import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Money } from '@kontor/money';

/** Runs hledger on a journal text and returns its CSV output parsed (header row first). */
export function hledgerCsv(journal: string, args: string[]): string[][] {
  const dir = mkdtempSync(join(tmpdir(), 'kontor-hledger-'));
  const file = join(dir, 'books.journal');
  writeFileSync(file, journal);
  const out = execFileSync('hledger', ['-f', file, ...args, '-O', 'csv'], { encoding: 'utf8' });

  return out
    .trim()
    .split('\n')
    .map((line) => [...line.matchAll(/"((?:[^"]|"")*)"/g)].map((m) => m[1].replace(/""/g, '"')));
}

/** "1,234.50 EUR" / "-10 USD" / "0" → the amount normalized for the currency ("1234.50"). */
export function hledgerAmount(text: string, currency: string): string {
  const number = text.replace(currency, '').replace(/,/g, '').trim();

  return Money.fromDecimal(number === '' ? '0' : number, currency).toString();
}

export const norm = (amount: string, currency: string) =>
  Money.fromDecimal(amount, currency).toString();
