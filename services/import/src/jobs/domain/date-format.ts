// Date patterns of a profile, e.g. "DD.MM.YYYY", "M/D/YYYY", "YYYYMMDD": YYYY (4 digits),
// MM / DD (2 digits), M / D (1-2 digits); any other character is a literal.

export interface DateFormat {
  readonly pattern?: RegExp;
  readonly order?: ('year' | 'month' | 'day')[];
  readonly problem?: string;
}

const TOKENS: [string, 'year' | 'month' | 'day', string][] = [
  ['YYYY', 'year', '(\\d{4})'],
  ['MM', 'month', '(\\d{2})'],
  ['DD', 'day', '(\\d{2})'],
  ['M', 'month', '(\\d{1,2})'],
  ['D', 'day', '(\\d{1,2})'],
];

const escape = (char: string) => char.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

export function compileDateFormat(format: string): DateFormat {
  if (format.length === 0 || format.length > 40) return { problem: 'must be 1-40 characters' };
  let source = '';
  const order: ('year' | 'month' | 'day')[] = [];
  for (let i = 0; i < format.length;) {
    const token = TOKENS.find(([text]) => format.startsWith(text, i));
    if (token) {
      source += token[2];
      order.push(token[1]);
      i += token[0].length;
    } else {
      if (/[A-Za-z0-9]/.test(format[i])) {
        return {
          problem: `"${format}": unknown token at "${format.slice(i)}" (use YYYY MM DD M D)`,
        };
      }
      source += escape(format[i]);
      i += 1;
    }
  }
  const names = [...order].sort().join(',');
  if (names !== 'day,month,year') {
    return { problem: `"${format}" needs exactly one year, one month and one day` };
  }

  return { pattern: new RegExp(`^${source}$`), order };
}

function isCalendarDate(year: number, month: number, day: number): boolean {
  if (month < 1 || month > 12 || day < 1) return false;
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  const days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1];

  return day <= days;
}

const pad = (value: number, width: number) => String(value).padStart(width, '0');

/** "YYYY-MM-DD" for the first format that matches a real calendar date, else undefined. */
export function parseDate(raw: string, formats: readonly DateFormat[]): string | undefined {
  const text = raw.trim();
  for (const format of formats) {
    const match = format.pattern?.exec(text);
    if (!match || !format.order) continue;
    const parts = { year: 0, month: 0, day: 0 };
    format.order.forEach((name, i) => (parts[name] = Number(match[i + 1])));
    if (parts.year < 1900 || parts.year > 2999) continue;
    if (!isCalendarDate(parts.year, parts.month, parts.day)) continue;

    return `${pad(parts.year, 4)}-${pad(parts.month, 2)}-${pad(parts.day, 2)}`;
  }

  return undefined;
}
