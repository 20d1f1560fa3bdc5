import { type Currency, Money, MoneyError } from '@kontor/money';
import { type NegativeStyle, type ValueFormat } from '../../profiles/domain/profile';

export type AmountResult = { ok: true; money: Money } | { ok: false; reason: string };

// Spaces a spreadsheet may put around or inside numbers: space, no-break and narrow no-break.
const SPACES = /[ \u00a0\u202f]/g;

interface Signed {
  body: string;
  negative: boolean;
  style: NegativeStyle | null;
}

function splitSign(text: string): Signed {
  let match = /^\((.*)\)$/.exec(text);
  if (match) return { body: match[1].trim(), negative: true, style: 'parentheses' };
  match = /^(.*?)\s*(CR|DR)$/i.exec(text);
  if (match) {
    const negative = match[2].toUpperCase() === 'CR';

    return { body: match[1].trim(), negative, style: 'cr-suffix' };
  }
  match = /^(.*[^\s])\s*-$/.exec(text);
  if (match) return { body: match[1].trim(), negative: true, style: 'trailing-minus' };
  if (text.startsWith('-')) {
    return { body: text.slice(1).trim(), negative: true, style: 'leading-minus' };
  }
  if (text.startsWith('+')) return { body: text.slice(1).trim(), negative: false, style: null };

  return { body: text, negative: false, style: null };
}

const STYLE_EXAMPLE: Record<NegativeStyle, string> = {
  'leading-minus': '-12.50',
  parentheses: '(12.50)',
  'trailing-minus': '12.50-',
  'cr-suffix': '12.50 CR',
};

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

interface NumberPatterns {
  plain: RegExp;
  grouped: RegExp | null;
}

// Built once per profile's value format (a file has millions of amounts, one format).
const PATTERNS = new WeakMap<ValueFormat, NumberPatterns>();

function patternsOf(values: ValueFormat): NumberPatterns {
  let patterns = PATTERNS.get(values);
  if (!patterns) {
    const dec = escapeRegExp(values.decimalSeparator);
    const thousands = values.thousandsSeparator;
    patterns = {
      plain: new RegExp(`^(\\d+)(?:${dec}(\\d+))?$`),
      grouped:
        thousands === ''
          ? null
          : new RegExp(`^(\\d{1,3}(?:${escapeRegExp(thousands)}\\d{3})+)(?:${dec}(\\d+))?$`),
    };
    PATTERNS.set(values, patterns);
  }

  return patterns;
}

/** The body's digits as a plain decimal "1234.56", or undefined when it is not a number. */
function normalizeBody(body: string, values: ValueFormat): string | undefined {
  const thousands = values.thousandsSeparator;
  const text = thousands === ' ' ? body.replace(SPACES, ' ') : body;
  const { plain, grouped } = patternsOf(values);
  const match = plain.exec(text) ?? grouped?.exec(text);
  if (!match) return undefined;
  const integer = thousands === '' ? match[1] : match[1].split(thousands).join('');
  const fraction = match[2] ?? '';

  return fraction === '' ? integer : `${integer}.${fraction}`;
}

/** Drops leading zeros and trailing fraction zeros beyond `digits` (exact: never rounds). */
function canonical(decimal: string, digits: number): string {
  const [integer, fraction = ''] = decimal.split('.');
  const int = integer.replace(/^0+(?=\d)/, '');
  let frac = fraction;
  while (frac.length > digits && frac.endsWith('0')) frac = frac.slice(0, -1);

  return frac === '' ? int : `${int}.${frac}`;
}

/**
 * Reads an amount as the profile writes numbers: decimal and thousands separators, the accepted
 * negative styles. Exact: text to digits to Money, never through a JS number.
 */
export function parseAmount(raw: string, values: ValueFormat, currency: Currency): AmountResult {
  const text = raw.replace(SPACES, ' ').trim();
  if (text === '') return { ok: false, reason: 'is empty' };
  const signed = splitSign(text);
  if (signed.style !== null && !values.negativeStyles.includes(signed.style)) {
    return {
      ok: false,
      reason: `negative style ${STYLE_EXAMPLE[signed.style]} is not accepted by the profile`,
    };
  }
  const decimal = normalizeBody(signed.body, values);
  if (decimal === undefined) {
    const thousands = values.thousandsSeparator === '' ? 'none' : `"${values.thousandsSeparator}"`;

    return {
      ok: false,
      reason: `is not a number (decimal separator "${values.decimalSeparator}", thousands separator ${thousands})`,
    };
  }
  try {
    const money = Money.parse(canonical(decimal, currency.minorUnits), currency);

    return { ok: true, money: signed.negative ? money.negate() : money };
  } catch (error) {
    if (!(error instanceof MoneyError)) throw error;

    return {
      ok: false,
      reason: `has more than ${currency.minorUnits} decimals for ${currency.code} or is too large`,
    };
  }
}
