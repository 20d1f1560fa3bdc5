import { DealError, DealErrorCode } from './deal.errors';
import { validateTerms } from './deal-terms';
import { eur, HEADER, PARTNER_A, PARTNER_B, PAYER, terms } from './test-terms.fixture';

function violationsOf(run: () => void): string[] {
  try {
    run();
  } catch (error) {
    if (error instanceof DealError) {
      expect(error.code).toBe(DealErrorCode.INVALID_DEAL);

      return error.fieldViolations.map((v) => v.field);
    }
    throw error;
  }

  return [];
}

describe('validateTerms', () => {
  it('accepts a plain flat deal', () => {
    expect(violationsOf(() => validateTerms(HEADER, terms(), '2026-01-01'))).toEqual([]);
  });

  it('rejects shares that sum to more than 100 percent', () => {
    const bad = terms({
      payees: [
        { organizationId: PARTNER_A, role: 'partner', sharePercent: '60' },
        { organizationId: PARTNER_B, role: 'partner', sharePercent: '50' },
      ],
    });

    expect(violationsOf(() => validateTerms(HEADER, bad, '2026-01-01'))).toEqual(['terms.payees']);
  });

  it('rejects a percentage over 100 and the payer as its own payee', () => {
    const bad = terms({
      rate: { kind: 'flat', percent: '120' },
      payees: [{ organizationId: PAYER, role: 'partner', sharePercent: '100' }],
    });

    expect(violationsOf(() => validateTerms(HEADER, bad, '2026-01-01'))).toEqual([
      'terms.payees[0].organization_id',
      'terms.flat_percent',
    ]);
  });

  it('rejects tiers out of order and a first tier above zero', () => {
    const bad = terms({
      rate: {
        kind: 'tiered',
        method: 'marginal',
        tiers: [
          { from: eur('100'), percent: '10' },
          { from: eur('50'), percent: '20' },
        ],
      },
    });

    expect(violationsOf(() => validateTerms(HEADER, bad, '2026-01-01'))).toEqual([
      'terms.tiers[0].from',
      'terms.tiers[1].from',
    ]);
  });

  it('rejects a minimum above the cap, an end that is not a period end, amounts in another currency', () => {
    const bad = terms({
      minimum: eur('500'),
      cap: eur('100'),
      effectiveTo: '2026-03-15',
      feePerPeriod: null,
      feePerUnit: null,
    });
    const usd = { ...terms(), feePerUnit: eur('1') };

    expect(violationsOf(() => validateTerms(HEADER, bad, '2026-01-01'))).toEqual([
      'terms.minimum',
      'terms.effective_to',
    ]);
    expect(
      violationsOf(() => validateTerms({ ...HEADER, currency: 'USD' }, usd, '2026-01-01')),
    ).toEqual(['terms.fee_per_unit']);
  });

  it('rejects a margin deal without cost accounts and a deal that earns nothing', () => {
    const bad = terms({ basis: 'margin', rate: { kind: 'none' } });

    expect(violationsOf(() => validateTerms(HEADER, bad, '2026-01-01'))).toEqual([
      'terms.scope.cost_account_codes',
      'terms',
    ]);
  });
});
