import { Decimal } from 'decimal.js';
import { allocateMinor } from './allocate';
import { Money } from './money';
import { MoneyError, MoneyErrorCode } from './money.errors';

function caught(action: () => unknown): MoneyError {
  try {
    action();
  } catch (error) {
    if (error instanceof MoneyError) return error;
    throw error;
  }
  throw new Error('expected a MoneyError');
}

const texts = (parts: Money[]): string[] => parts.map((part) => part.toString());
const eur = (amount: string): Money => Money.parse(amount, 'EUR');

describe('Money.allocate', () => {
  it('splits 100.00 in three equal ratios as 33.34, 33.33, 33.33', () => {
    expect(texts(eur('100.00').allocate(['1', '1', '1']))).toEqual(['33.34', '33.33', '33.33']);
  });

  it('mirrors a negative total: -100.00 splits as -33.34, -33.33, -33.33', () => {
    expect(texts(eur('-100.00').allocate(['1', '1', '1']))).toEqual(['-33.34', '-33.33', '-33.33']);
  });

  it('hands leftover units to the largest remainders, not to the first parts', () => {
    // exact shares 1.666…, 3.333…, 5 → floors 1, 3, 5; the one leftover yen goes to 1.666…
    expect(texts(Money.parse('10', 'JPY').allocate(['1', '2', '3']))).toEqual(['2', '3', '5']);
    // exact shares 0.30, 0.35, 0.35 cents → 0, 0, 0 plus one leftover cent for the earliest 0.35
    expect(texts(eur('0.01').allocate(['0.30', '0.35', '0.35']))).toEqual(['0.00', '0.01', '0.00']);
  });

  it('breaks equal remainders in favour of the earliest index', () => {
    expect(texts(eur('0.02').allocate(['1', '1', '1']))).toEqual(['0.01', '0.01', '0.00']);
    expect(texts(eur('-0.02').allocate(['1', '1', '1']))).toEqual(['-0.01', '-0.01', '0.00']);
  });

  it('gives zero ratios exactly zero, even when they come first', () => {
    expect(texts(eur('100.00').allocate(['0', '1', '0', '1']))).toEqual([
      '0.00',
      '50.00',
      '0.00',
      '50.00',
    ]);
    expect(texts(eur('0.01').allocate(['0', '1']))).toEqual(['0.00', '0.01']);
  });

  it('splits a zero total into zeros', () => {
    expect(texts(eur('0.00').allocate(['1', '2']))).toEqual(['0.00', '0.00']);
  });

  it('accepts decimal strings, bigints and Decimals as ratios', () => {
    expect(texts(eur('60.00').allocate(['0.5', 1n, new Decimal('1.5')]))).toEqual([
      '10.00',
      '20.00',
      '30.00',
    ]);
  });

  it('respects each currency minor units (0, 3 and 4 digits)', () => {
    expect(texts(Money.parse('100', 'JPY').allocate(['1', '1', '1']))).toEqual(['34', '33', '33']);
    expect(texts(Money.parse('1.000', 'KWD').allocate(['1', '1', '1']))).toEqual([
      '0.334',
      '0.333',
      '0.333',
    ]);
    expect(texts(Money.parse('1', 'CLF').allocate(['1', '1', '1']))).toEqual([
      '0.3334',
      '0.3333',
      '0.3333',
    ]);
  });

  it('returns the whole amount for a single ratio', () => {
    expect(texts(eur('-12.34').allocate(['7']))).toEqual(['-12.34']);
  });

  it('rejects an empty ratio list', () => {
    const error = caught(() => eur('1.00').allocate([]));
    expect(error.code).toBe(MoneyErrorCode.INVALID_RATIOS);
    expect(error.message).toBe('ratios must be a non-empty list');
  });

  it('rejects a negative ratio, naming its index', () => {
    const error = caught(() => eur('1.00').allocate(['1', '-0.5']));
    expect(error.code).toBe(MoneyErrorCode.INVALID_RATIOS);
    expect(error.field).toBe('ratios[1]');
    expect(error.message).toBe('ratios[1] is negative (-0.5); ratios must be zero or positive');
  });

  it('rejects ratios that are all zero', () => {
    const error = caught(() => eur('1.00').allocate(['0', '0.00', 0n]));
    expect(error.code).toBe(MoneyErrorCode.INVALID_RATIOS);
    expect(error.message).toBe('ratios are all zero; at least one must be positive');
  });

  it.each([
    ['a JS number', 1 as unknown as string],
    ['exponent notation', '1e2'],
    ['a leading dot', '.5'],
    ['NaN as a Decimal', new Decimal(NaN)],
    ['Infinity as a Decimal', new Decimal(Infinity)],
    ['a ratio with more than 1000 digits', new Decimal('1e-1200')],
  ])('rejects %s as a ratio', (_label, ratio) => {
    const error = caught(() => eur('1.00').allocate(['1', ratio]));
    expect(error.code).toBe(MoneyErrorCode.INVALID_RATIOS);
    expect(error.field).toBe('ratios[1]');
  });

  it('treats a negative-zero Decimal ratio as zero', () => {
    expect(texts(eur('1.00').allocate([new Decimal('-0'), '1']))).toEqual(['0.00', '1.00']);
  });
});

describe('Money.allocateEvenly', () => {
  it('splits into n parts that differ by at most one minor unit, larger first', () => {
    expect(texts(eur('100.00').allocateEvenly(3))).toEqual(['33.34', '33.33', '33.33']);
    expect(texts(eur('-0.05').allocateEvenly(3))).toEqual(['-0.02', '-0.02', '-0.01']);
    expect(texts(Money.parse('7', 'JPY').allocateEvenly(1))).toEqual(['7']);
  });

  it.each([0, -1, 1.5, NaN, Infinity])('rejects %s parts', (parts) => {
    const error = caught(() => eur('1.00').allocateEvenly(parts));
    expect(error.code).toBe(MoneyErrorCode.INVALID_RATIOS);
    expect(error.field).toBe('parts');
  });
});

/** mulberry32: a tiny deterministic PRNG, so a failing case can be replayed from its seed. */
function prng(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface GeneratedRatio {
  /** What is handed to allocate. */
  readonly input: string | bigint | Decimal;
  /** The same ratio as units / 10^scale, for an independent exact check. */
  readonly units: bigint;
  readonly scale: number;
}

describe('allocation property (seeded random cases)', () => {
  const random = prng(20240611);
  const int = (below: number): number => Math.floor(random() * below);
  const digits = (count: number): string =>
    Array.from({ length: count }, () => String(int(10))).join('');

  function randomTotal(minorUnits: number): bigint {
    // Half small totals (odd cents, single units), half up to the full 28-digit range.
    const length = random() < 0.5 ? 1 + int(4) : 1 + int(28 + minorUnits);
    const magnitude = BigInt(digits(length));
    return random() < 0.4 ? -magnitude : magnitude;
  }

  function randomRatio(): GeneratedRatio {
    if (random() < 0.2) return { input: '0', units: 0n, scale: 0 };
    const scale = int(5);
    const units = BigInt(digits(1 + int(6)));
    const text = new Decimal(units.toString()).div(new Decimal(10).pow(scale)).toFixed(scale);
    const kind = int(3);
    if (kind === 0) return { input: text, units, scale };
    if (kind === 1) return { input: new Decimal(text), units, scale };
    return { input: units, units, scale: 0 };
  }

  it('always sums exactly to the total, with each share within one minor unit of exact', () => {
    const currencies = ['JPY', 'EUR', 'BHD', 'CLF'];
    for (let round = 0; round < 5000; round += 1) {
      const currency = currencies[int(currencies.length)] ?? 'EUR';
      const whole = Money.fromMinor(
        randomTotal(Money.zero(currency).currency.minorUnits),
        currency,
      );
      const ratios = Array.from({ length: 1 + int(12) }, randomRatio);
      if (ratios.every((ratio) => ratio.units === 0n))
        ratios.push(randomRatio(), { input: '1', units: 1n, scale: 0 });

      const parts = whole.allocate(ratios.map((ratio) => ratio.input));
      const context = `round ${round}: ${whole.toString()} ${currency} by [${ratios.map((r) => String(r.input)).join(', ')}]`;

      // Exact shares are total × w_i / Σw with integer weights w_i = units_i × 10^(maxScale − scale_i).
      const maxScale = Math.max(...ratios.map((ratio) => ratio.scale));
      const weights = ratios.map((r) => r.units * 10n ** BigInt(maxScale - r.scale));
      const weightSum = weights.reduce((sum, w) => sum + w, 0n);
      const total = whole.toMinor();

      expect({ context, sum: parts.reduce((sum, part) => sum + part.toMinor(), 0n) }).toEqual({
        context,
        sum: total,
      });
      parts.forEach((part, index) => {
        const minor = part.toMinor();
        const weight = weights[index] ?? 0n;
        // |share − total·w/Σw| < 1  ⇔  |share·Σw − total·w| < Σw
        const deviation = minor * weightSum - total * weight;
        const ok =
          (deviation < 0n ? -deviation : deviation) < weightSum &&
          (total >= 0n ? minor >= 0n : minor <= 0n) &&
          (weight !== 0n || minor === 0n) &&
          part.currency === whole.currency;
        if (!ok) throw new Error(`${context}: part ${index} = ${part.toString()} is off`);
      });

      // Deterministic, and a negative total is the exact mirror of the positive one.
      expect(texts(whole.allocate(ratios.map((ratio) => ratio.input)))).toEqual(texts(parts));
      expect(texts(whole.negate().allocate(ratios.map((ratio) => ratio.input)))).toEqual(
        texts(parts.map((part) => part.negate())),
      );
    }
  });

  it('agrees with the bigint core on equal weights for any number of parts', () => {
    for (let round = 0; round < 2000; round += 1) {
      const total = randomTotal(2);
      const count = 1 + int(40);
      const parts = allocateMinor(total, new Array<bigint>(count).fill(1n));
      expect(parts.reduce((sum, part) => sum + part, 0n)).toBe(total);
      const sizes = parts.map((part) => (part < 0n ? -part : part));
      const smallest = sizes.reduce((min, size) => (size < min ? size : min));
      expect(sizes.every((size) => size - smallest <= 1n)).toBe(true);
      expect(sizes).toEqual([...sizes].sort((a, b) => (a === b ? 0 : a > b ? -1 : 1)));
      expect(texts(Money.fromMinor(total, 'EUR').allocateEvenly(count))).toEqual(
        texts(parts.map((part) => Money.fromMinor(part, 'EUR'))),
      );
    }
  });
});
