import { type FieldViolations, quoteInput } from '@kontor/errors';

export const JOURNAL_TEXT_MAX = 50;
const SYMBOL = /^[A-Za-z0-9]{1,50}$/;
// Control characters would make a name unreadable in listings and reports.
const CONTROL = /\p{Cc}/u;

/** A journal as asked for: symbol and name trimmed, the name defaulting to the symbol. */
export interface JournalSpec {
  symbol: string;
  name: string;
}

/** Why a symbol is unacceptable, or undefined: 1-50 ASCII letters or digits. */
export function symbolProblem(symbol: string): string | undefined {
  if (SYMBOL.test(symbol)) return undefined;
  if (symbol === '') return 'is required: 1-50 letters or digits';

  return `must be 1-${JOURNAL_TEXT_MAX} ASCII letters or digits, got ${quoteInput(symbol)}`;
}

/** Why a name is unacceptable, or undefined: 1-50 characters (code points), no control characters. */
export function nameProblem(name: string): string | undefined {
  const length = [...name].length;
  if (length === 0) return 'is required: 1-50 characters';
  if (length > JOURNAL_TEXT_MAX) {
    return `must be 1-${JOURNAL_TEXT_MAX} characters, got ${length}`;
  }
  if (CONTROL.test(name)) return 'must not contain control characters';

  return undefined;
}

/**
 * Validates a journal; adds violations under `prefix` (e.g. "journals[2]." or "") and returns the
 * normalized spec. An empty name means the symbol when `nameDefaultsToSymbol`.
 */
export function checkJournal(
  input: JournalSpec,
  violations: FieldViolations,
  prefix: string,
  nameDefaultsToSymbol: boolean,
): JournalSpec {
  const symbol = input.symbol.trim();
  const trimmedName = input.name.trim();
  const name = trimmedName === '' && nameDefaultsToSymbol ? symbol : trimmedName;
  const badSymbol = symbolProblem(symbol);
  if (badSymbol) violations.add(`${prefix}symbol`, badSymbol);
  const badName = nameProblem(name);
  if (badName) violations.add(`${prefix}name`, badName);

  return { symbol, name };
}

/** Symbols and names compare case-insensitively (as the unique indexes on lower() do). */
export function sameText(a: string, b: string): boolean {
  return a.toLowerCase() === b.toLowerCase();
}

export interface ExistingJournal extends JournalSpec {
  fiscalYearName: string;
}

/** Which of symbol or name clashes with an existing journal, and the message that says so. */
export function journalClash(
  wanted: JournalSpec,
  existing: ExistingJournal,
): { field: 'symbol' | 'name'; message: string } | undefined {
  const owner = `journal "${existing.symbol}" (${existing.name}) in fiscal year ${existing.fiscalYearName}`;
  if (sameText(wanted.symbol, existing.symbol)) {
    return {
      field: 'symbol',
      message: `journal symbol "${wanted.symbol}" is already used by ${owner}`,
    };
  }
  if (sameText(wanted.name, existing.name)) {
    return { field: 'name', message: `journal name "${wanted.name}" is already used by ${owner}` };
  }

  return undefined;
}
