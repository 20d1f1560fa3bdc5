import { RoundingMode } from '@kontor/money';
import { computeSettlement } from './settlement-calculator';
import { resultFromJson, resultToJson, termsFromJson, termsToJson } from './serialization';
import { eur, figures, terms } from './test-terms.fixture';

describe('serialization', () => {
  const tiered = terms({
    rate: {
      kind: 'tiered',
      method: 'marginal',
      tiers: [
        { from: eur('0'), percent: '30' },
        { from: eur('10000'), percent: '35' },
      ],
    },
    cap: eur('9999'),
    feePerUnit: eur('0.10'),
    rounding: RoundingMode.HALF_EVEN,
  });

  it('reads stored terms back exactly', () => {
    expect(termsFromJson(JSON.parse(JSON.stringify(termsToJson(tiered))), 'EUR')).toEqual(tiered);
  });

  it('reads a stored result back exactly', () => {
    const result = computeSettlement({
      terms: tiered,
      currency: 'EUR',
      figures: figures({ revenue: '12345.67', units: '4' }),
      carryIn: eur('-1.5'),
      lateAdjustment: eur('0'),
    });

    expect(resultFromJson(JSON.parse(JSON.stringify(resultToJson(result))), 'EUR')).toEqual(result);
  });
});
