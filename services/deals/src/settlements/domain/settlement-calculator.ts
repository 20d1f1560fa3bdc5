import { Money } from '@kontor/money';
import { percentRatio, type BasisKind, type DealTerms, type PartyRole } from './deal-terms';

/** The period's figures in scope, summed from the scope lines (see the persistence layer). */
export interface BasisFigures {
  /** Credits on revenue accounts. */
  revenue: Money;
  /** Debits on revenue accounts, except from chargeback entries (refunds, credit notes, reversals). */
  refunds: Money;
  /** Debits on revenue accounts from chargeback entries. */
  chargebacks: Money;
  /** Debits minus credits on the named cost/fee accounts (net revenue). */
  deductions: Money;
  /** Debits minus credits on cost accounts (margin). */
  costs: Money;
  /** Units sold: revenue credit lines (one per product line of a sale). */
  units: bigint;
}

export interface TierLine {
  from: Money;
  /** Null for the open top tier. */
  to: Money | null;
  percent: string;
  /** The part of the basis this tier's rate applied to. */
  applied: Money;
  contribution: Money;
}

export type TermKind = 'percentage' | 'tiers' | 'fee_per_unit' | 'fee_per_period';

export interface TermContribution {
  term: TermKind;
  /** How it was computed, e.g. "30% of 12000.00" or "25 units × 0.50". */
  description: string;
  amount: Money;
}

export interface PartyShare {
  organizationId: string;
  role: PartyRole;
  sharePercent: string;
  amount: Money;
}

export interface SettlementInput {
  terms: DealTerms;
  currency: string;
  figures: BasisFigures;
  /** Shortfall carried in from the previous period: zero or negative. */
  carryIn: Money;
  /** Corrections for entries that arrived after earlier periods were finalized. */
  lateAdjustment: Money;
}

export interface SettlementResult {
  basis: BasisKind;
  basisAmount: Money;
  figures: BasisFigures;
  terms: TermContribution[];
  tiers: TierLine[];
  /** Sum of the term contributions. */
  earned: Money;
  /** What the minimum guarantee added (zero or positive). */
  minimumAdjustment: Money;
  /** What the cap took off (zero or negative). */
  capAdjustment: Money;
  carryIn: Money;
  lateAdjustment: Money;
  /** Shortfall carried to the next period: zero or negative. */
  carryOut: Money;
  /** What the payer owes the payees (negative: a claw-back the payees owe the payer). */
  total: Money;
  parties: PartyShare[];
}

export function basisAmount(kind: BasisKind, figures: BasisFigures): Money {
  const returned = figures.revenue.minus(figures.refunds).minus(figures.chargebacks);
  switch (kind) {
    case 'gross_revenue':
      return figures.revenue;
    case 'net_revenue':
      return returned.minus(figures.deductions);
    case 'margin':
      return returned.minus(figures.costs);
  }
}

function minMoney(a: Money, b: Money): Money {
  return a.compare(b) <= 0 ? a : b;
}

function maxMoney(a: Money, b: Money): Money {
  return a.compare(b) >= 0 ? a : b;
}

function percentageTerms(
  input: SettlementInput,
  basis: Money,
): {
  terms: TermContribution[];
  tiers: TierLine[];
} {
  const { rate, rounding } = input.terms;
  if (rate.kind === 'none') return { terms: [], tiers: [] };
  if (rate.kind === 'flat') {
    const amount = basis.times(percentRatio(rate.percent), rounding);
    const description = `${rate.percent}% of ${basis.toString()}`;

    return { terms: [{ term: 'percentage', description, amount }], tiers: [] };
  }
  const tiers = rate.tiers.map((tier, i) => ({ ...tier, to: rate.tiers[i + 1]?.from ?? null }));
  const zero = Money.zero(input.currency);
  // A negative basis (more returned than earned) is charged back at the first tier's rate.
  if (basis.isNegative()) {
    const first = tiers[0];
    const contribution = basis.times(percentRatio(first.percent), rounding);
    const lines: TierLine[] = tiers.map((tier, i) => ({
      from: tier.from,
      to: tier.to,
      percent: tier.percent,
      applied: i === 0 ? basis : zero,
      contribution: i === 0 ? contribution : zero,
    }));
    const description = `${first.percent}% of ${basis.toString()} (below the first tier)`;

    return { terms: [{ term: 'tiers', description, amount: contribution }], tiers: lines };
  }
  if (rate.method === 'marginal') {
    const lines = tiers.map((tier) => {
      const top = tier.to ? minMoney(basis, tier.to) : basis;
      const applied = maxMoney(top.minus(tier.from), zero);
      const contribution = applied.times(percentRatio(tier.percent), rounding);

      return { from: tier.from, to: tier.to, percent: tier.percent, applied, contribution };
    });
    const amount = lines.reduce((sum, line) => sum.plus(line.contribution), zero);
    const description = lines
      .filter((line) => !line.applied.isZero())
      .map((line) => `${line.percent}% of ${line.applied.toString()}`)
      .join(' + ');

    return {
      terms: [{ term: 'tiers', description: `marginal: ${description || '0'}`, amount }],
      tiers: lines,
    };
  }
  // Retroactive: the highest tier the basis reaches sets the rate for all of it.
  const reached = tiers.filter((tier) => basis.compare(tier.from) >= 0).length - 1;
  const lines = tiers.map((tier, i) => {
    const applied = i === reached ? basis : zero;
    const contribution = applied.times(percentRatio(tier.percent), rounding);

    return { from: tier.from, to: tier.to, percent: tier.percent, applied, contribution };
  });
  const amount = lines[reached].contribution;
  const description = `retroactive: ${tiers[reached].percent}% of ${basis.toString()}`;

  return { terms: [{ term: 'tiers', description, amount }], tiers: lines };
}

function feeTerms(input: SettlementInput): TermContribution[] {
  const { feePerUnit, feePerPeriod } = input.terms;
  const terms: TermContribution[] = [];
  if (feePerUnit) {
    const units = input.figures.units;
    terms.push({
      term: 'fee_per_unit',
      description: `${units} units × ${feePerUnit.toString()}`,
      amount: feePerUnit.times(units, input.terms.rounding),
    });
  }
  if (feePerPeriod) {
    terms.push({
      term: 'fee_per_period',
      description: 'fixed fee per period',
      amount: feePerPeriod,
    });
  }

  return terms;
}

/**
 * Applies one version's terms to one period. Pure and deterministic: the same input always gives
 * the same result. Order: term contributions (each rounded with the deal's mode) sum to `earned`;
 * the minimum guarantee raises and the cap lowers `earned`; the carried-in shortfall and late
 * adjustments are added; a result below zero is carried forward (total 0) or clawed back (total
 * negative) as the terms say. The total is split across payees by largest remainder, so the
 * shares always sum exactly to it.
 */
export function computeSettlement(input: SettlementInput): SettlementResult {
  const { terms, currency, figures } = input;
  const zero = Money.zero(currency);
  const basis = basisAmount(terms.basis, figures);
  const percentage = percentageTerms(input, basis);
  const contributions = [...percentage.terms, ...feeTerms(input)];
  const earned = contributions.reduce((sum, term) => sum.plus(term.amount), zero);
  const afterMinimum = terms.minimum ? maxMoney(earned, terms.minimum) : earned;
  const afterCap = terms.cap ? minMoney(afterMinimum, terms.cap) : afterMinimum;
  const beforeNegative = afterCap.plus(input.carryIn).plus(input.lateAdjustment);
  const carryForward = beforeNegative.isNegative() && terms.negative === 'carry_forward';
  const total = carryForward ? zero : beforeNegative;
  const shares = total.allocate(terms.payees.map((payee) => payee.sharePercent));

  return {
    basis: terms.basis,
    basisAmount: basis,
    figures,
    terms: contributions,
    tiers: percentage.tiers,
    earned,
    minimumAdjustment: afterMinimum.minus(earned),
    capAdjustment: afterCap.minus(afterMinimum),
    carryIn: input.carryIn,
    lateAdjustment: input.lateAdjustment,
    carryOut: carryForward ? beforeNegative : zero,
    total,
    parties: terms.payees.map((payee, i) => ({ ...payee, amount: shares[i] })),
  };
}
