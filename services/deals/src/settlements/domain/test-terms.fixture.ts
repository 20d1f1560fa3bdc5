import { Money, RoundingMode } from '@kontor/money';
import { type DealHeader, type DealTerms } from './deal-terms';
import { type BasisFigures } from './settlement-calculator';

// Shared builders for the domain specs: a one-payee EUR deal with nothing but what a test sets.

export const PAYER = '00000000-0000-4000-8000-000000000001';
export const PARTNER_A = '00000000-0000-4000-8000-00000000000a';
export const PARTNER_B = '00000000-0000-4000-8000-00000000000b';
export const PARTNER_C = '00000000-0000-4000-8000-00000000000c';
export const LEDGER = '00000000-0000-4000-8000-0000000000ff';

export const HEADER: DealHeader = {
  payerOrganizationId: PAYER,
  currency: 'EUR',
  frequency: 'monthly',
};

export const eur = (amount: string) => Money.parse(amount, 'EUR');

export function terms(overrides: Partial<DealTerms> = {}): DealTerms {
  return {
    payees: [{ organizationId: PARTNER_A, role: 'partner', sharePercent: '100' }],
    scope: {
      ledgerIds: [LEDGER],
      products: [],
      counterpartyIds: [],
      transactionTypes: [],
      revenueAccountCodes: ['4000'],
      deductionAccountCodes: [],
      costAccountCodes: [],
      dealTag: '',
    },
    basis: 'gross_revenue',
    rate: { kind: 'flat', percent: '10' },
    feePerUnit: null,
    feePerPeriod: null,
    minimum: null,
    cap: null,
    negative: 'carry_forward',
    rounding: RoundingMode.HALF_UP,
    effectiveTo: null,
    ...overrides,
  };
}

export function figures(overrides: Partial<Record<keyof BasisFigures, string>> = {}): BasisFigures {
  return {
    revenue: eur(overrides.revenue ?? '0'),
    refunds: eur(overrides.refunds ?? '0'),
    chargebacks: eur(overrides.chargebacks ?? '0'),
    deductions: eur(overrides.deductions ?? '0'),
    costs: eur(overrides.costs ?? '0'),
    units: BigInt(overrides.units ?? '0'),
  };
}
