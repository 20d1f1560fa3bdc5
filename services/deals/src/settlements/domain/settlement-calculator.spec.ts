import fc from 'fast-check';
import { Money, RoundingMode } from '@kontor/money';
import { computeSettlement, type SettlementInput } from './settlement-calculator';
import { eur, figures, PARTNER_A, PARTNER_B, PARTNER_C, terms } from './test-terms.fixture';

function settle(overrides: Partial<SettlementInput>) {
  return computeSettlement({
    terms: terms(),
    currency: 'EUR',
    figures: figures(),
    carryIn: eur('0'),
    lateAdjustment: eur('0'),
    ...overrides,
  });
}

const TIERS_30_35 = [
  { from: eur('0'), percent: '30' },
  { from: eur('10000'), percent: '35' },
];

describe('computeSettlement', () => {
  it('takes a flat percentage of gross revenue: 10% of 1234.56 = 123.456 → 123.46 (half up)', () => {
    const result = settle({ figures: figures({ revenue: '1234.56', refunds: '100' }) });

    expect(result.basisAmount.toString()).toBe('1234.56');
    expect(result.terms).toEqual([
      { term: 'percentage', description: '10% of 1234.56', amount: eur('123.46') },
    ]);
    expect(result.total.toString()).toBe('123.46');
  });

  it('rounds with the deal’s mode: 10% of 1234.55 = 123.455 → 123.46 half up, 123.45 down', () => {
    const half = settle({ figures: figures({ revenue: '1234.55' }) });
    const down = settle({
      terms: terms({ rounding: RoundingMode.DOWN }),
      figures: figures({ revenue: '1234.55' }),
    });

    expect(half.total.toString()).toBe('123.46');
    expect(down.total.toString()).toBe('123.45');
  });

  it('nets refunds, chargebacks and named fees out of net revenue', () => {
    // 5000 − 300 − 200 − 150 = 4350; 20% = 870.00
    const result = settle({
      terms: terms({ basis: 'net_revenue', rate: { kind: 'flat', percent: '20' } }),
      figures: figures({
        revenue: '5000',
        refunds: '300',
        chargebacks: '200',
        deductions: '150',
        costs: '999',
      }),
    });

    expect(result.basisAmount.toString()).toBe('4350.00');
    expect(result.total.toString()).toBe('870.00');
  });

  it('takes margin as revenue less returns less cost', () => {
    // 8000 − 500 − 3000 = 4500; 50% = 2250.00
    const result = settle({
      terms: terms({ basis: 'margin', rate: { kind: 'flat', percent: '50' } }),
      figures: figures({ revenue: '8000', refunds: '500', costs: '3000', deductions: '77' }),
    });

    expect(result.basisAmount.toString()).toBe('4500.00');
    expect(result.total.toString()).toBe('2250.00');
  });

  it('applies marginal tiers like tax brackets: the design’s 12000 → 3000 + 700 = 3700', () => {
    const result = settle({
      terms: terms({
        basis: 'net_revenue',
        rate: { kind: 'tiered', method: 'marginal', tiers: TIERS_30_35 },
        minimum: eur('500'),
      }),
      figures: figures({ revenue: '12000' }),
    });

    expect(result.tiers.map((t) => [t.applied.toString(), t.contribution.toString()])).toEqual([
      ['10000.00', '3000.00'],
      ['2000.00', '700.00'],
    ]);
    expect(result.tiers[0].to?.toString()).toBe('10000.00');
    expect(result.tiers[1].to).toBeNull();
    expect(result.minimumAdjustment.toString()).toBe('0.00');
    expect(result.total.toString()).toBe('3700.00');
  });

  it('applies a retroactive tier to the whole amount: 12000 reaches 35% → 4200', () => {
    const result = settle({
      terms: terms({ rate: { kind: 'tiered', method: 'retroactive', tiers: TIERS_30_35 } }),
      figures: figures({ revenue: '12000' }),
    });

    expect(result.tiers.map((t) => t.applied.toString())).toEqual(['0.00', '12000.00']);
    expect(result.total.toString()).toBe('4200.00');
  });

  it('stays in the lower tier below its threshold, marginal and retroactive alike: 9999.99 → 2999.997 → 3000.00', () => {
    for (const method of ['marginal', 'retroactive'] as const) {
      const result = settle({
        terms: terms({ rate: { kind: 'tiered', method, tiers: TIERS_30_35 } }),
        figures: figures({ revenue: '9999.99' }),
      });

      expect(result.total.toString()).toBe('3000.00');
    }
  });

  it('treats the exact threshold as reaching the tier: retroactive 10000 → 35% = 3500', () => {
    const result = settle({
      terms: terms({ rate: { kind: 'tiered', method: 'retroactive', tiers: TIERS_30_35 } }),
      figures: figures({ revenue: '10000' }),
    });

    expect(result.total.toString()).toBe('3500.00');
  });

  it('raises a small period to the minimum guarantee: 10% of 2000 = 200 → 500', () => {
    const result = settle({
      terms: terms({ minimum: eur('500') }),
      figures: figures({ revenue: '2000' }),
    });

    expect(result.earned.toString()).toBe('200.00');
    expect(result.minimumAdjustment.toString()).toBe('300.00');
    expect(result.total.toString()).toBe('500.00');
  });

  it('cuts a large period to the cap: 10% of 90000 = 9000 → 5000', () => {
    const result = settle({
      terms: terms({ cap: eur('5000') }),
      figures: figures({ revenue: '90000' }),
    });

    expect(result.capAdjustment.toString()).toBe('-4000.00');
    expect(result.total.toString()).toBe('5000.00');
  });

  it('adds fees per unit and per period: 5% of 1000 + 37 × 0.35 + 25 = 50 + 12.95 + 25 = 87.95', () => {
    const result = settle({
      terms: terms({
        rate: { kind: 'flat', percent: '5' },
        feePerUnit: eur('0.35'),
        feePerPeriod: eur('25'),
      }),
      figures: figures({ revenue: '1000', units: '37' }),
    });

    expect(result.terms.map((t) => [t.term, t.amount.toString()])).toEqual([
      ['percentage', '50.00'],
      ['fee_per_unit', '12.95'],
      ['fee_per_period', '25.00'],
    ]);
    expect(result.total.toString()).toBe('87.95');
  });

  it('splits odd cents by largest remainder: 100.00 over 3 equal payees → 33.34 + 33.33 + 33.33', () => {
    const result = settle({
      terms: terms({
        rate: { kind: 'flat', percent: '100' },
        payees: [
          { organizationId: PARTNER_A, role: 'partner', sharePercent: '33.333334' },
          { organizationId: PARTNER_B, role: 'supplier', sharePercent: '33.333333' },
          { organizationId: PARTNER_C, role: 'vendor', sharePercent: '33.333333' },
        ],
      }),
      figures: figures({ revenue: '100' }),
    });

    expect(result.parties.map((p) => p.amount.toString())).toEqual(['33.34', '33.33', '33.33']);
  });

  it('splits 70/30 exactly: 10% of 333.33 = 33.33 → 23.33 + 10.00', () => {
    // 33.33 × 0.7 = 23.331, × 0.3 = 9.999: floors 23.33 + 9.99 = 33.32, the spare cent goes to
    // the larger remainder (0.999 > 0.331), so B gets 10.00.
    const result = settle({
      terms: terms({
        payees: [
          { organizationId: PARTNER_A, role: 'partner', sharePercent: '70' },
          { organizationId: PARTNER_B, role: 'supplier', sharePercent: '30' },
        ],
      }),
      figures: figures({ revenue: '333.33' }),
    });

    expect(result.parties.map((p) => p.amount.toString())).toEqual(['23.33', '10.00']);
  });

  it('carries a negative period forward: refunds 3000 > revenue 1000 → total 0, carry-out −200', () => {
    const net = settle({
      terms: terms({ basis: 'net_revenue' }),
      figures: figures({ revenue: '1000', refunds: '3000' }),
    });

    expect(net.basisAmount.toString()).toBe('-2000.00');
    expect(net.total.toString()).toBe('0.00');
    expect(net.carryOut.toString()).toBe('-200.00');
    expect(net.parties[0].amount.toString()).toBe('0.00');
  });

  it('ignores refunds on a gross revenue basis: 10% of 1000 = 100 despite 3000 refunded', () => {
    const result = settle({ figures: figures({ revenue: '1000', refunds: '3000' }) });

    expect(result.total.toString()).toBe('100.00');
  });

  it('nets a carried-in shortfall against the next period: 10% of 5000 = 500 − 200 = 300', () => {
    const result = settle({
      terms: terms({ basis: 'net_revenue' }),
      figures: figures({ revenue: '5000' }),
      carryIn: eur('-200'),
    });

    expect(result.total.toString()).toBe('300.00');
    expect(result.carryOut.toString()).toBe('0.00');
  });

  it('claws back a negative period instead when the terms say so: total −200', () => {
    const result = settle({
      terms: terms({ basis: 'net_revenue', negative: 'claw_back' }),
      figures: figures({ revenue: '1000', refunds: '3000' }),
    });

    expect(result.total.toString()).toBe('-200.00');
    expect(result.carryOut.toString()).toBe('0.00');
  });

  it('charges a negative basis at the first tier’s rate: −2000 × 30% = −600', () => {
    const result = settle({
      terms: terms({
        basis: 'net_revenue',
        negative: 'claw_back',
        rate: { kind: 'tiered', method: 'marginal', tiers: TIERS_30_35 },
      }),
      figures: figures({ revenue: '1000', refunds: '3000' }),
    });

    expect(result.total.toString()).toBe('-600.00');
  });

  it('adds late adjustments after the minimum and cap', () => {
    const result = settle({
      terms: terms({ cap: eur('100') }),
      figures: figures({ revenue: '5000' }),
      lateAdjustment: eur('12.34'),
    });

    expect(result.total.toString()).toBe('112.34');
  });

  it('gives the same result for the same input', () => {
    const input = { figures: figures({ revenue: '777.77', units: '3' }) };

    expect(settle(input)).toEqual(settle(input));
  });

  it('always splits the total exactly across payees (property)', () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: -10_000_000_00n, max: 10_000_000_00n }),
        fc.array(fc.integer({ min: 1, max: 1_000_000 }), { minLength: 1, maxLength: 7 }),
        fc.integer({ min: 0, max: 100 }),
        (revenueMinor, weights, percent) => {
          const sum = weights.reduce((a, b) => a + b, 0);
          // Percent shares with 6 decimals that sum to exactly 100: the last takes the rest.
          const micro = weights.map((w) => Math.floor((w * 100_000_000) / sum));
          micro[micro.length - 1] += 100_000_000 - micro.reduce((a, b) => a + b, 0);
          fc.pre(micro.every((m) => m > 0));
          const payees = micro.map((m, i) => ({
            organizationId: `00000000-0000-4000-8000-${String(i + 100).padStart(12, '0')}`,
            role: 'partner' as const,
            sharePercent:
              (BigInt(m) / 1_000_000n).toString() + '.' + String(m % 1_000_000).padStart(6, '0'),
          }));
          const result = settle({
            terms: terms({
              payees,
              negative: 'claw_back',
              rate: { kind: 'flat', percent: String(percent) },
            }),
            figures: { ...figures(), revenue: Money.fromMinor(revenueMinor, 'EUR') },
          });
          const shares = result.parties.reduce((acc, p) => acc.plus(p.amount), eur('0'));

          expect(shares.equals(result.total)).toBe(true);
        },
      ),
    );
  });
});
