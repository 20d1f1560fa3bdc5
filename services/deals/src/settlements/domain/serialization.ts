import { Money, type RoundingMode } from '@kontor/money';
import { type DealTerms, type RateTerm } from './deal-terms';
import { type BasisFigures, type SettlementResult, type TierLine } from './settlement-calculator';

// Terms and results as stored (jsonb): amounts are decimal strings in the deal currency, so a
// stored value reads back exactly and the JSON stays readable in psql.

type Json = Record<string, unknown>;

const amount = (money: Money | null): string | null => (money ? money.toString() : null);
const money = (text: unknown, currency: string): Money | null =>
  typeof text === 'string' ? Money.parse(text, currency) : null;
const must = (text: unknown, currency: string): Money => Money.parse(String(text), currency);

export function termsToJson(terms: DealTerms): Json {
  const rate =
    terms.rate.kind === 'tiered'
      ? {
          ...terms.rate,
          tiers: terms.rate.tiers.map((tier) => ({
            from: tier.from.toString(),
            percent: tier.percent,
          })),
        }
      : terms.rate;

  return {
    payees: terms.payees,
    scope: terms.scope,
    basis: terms.basis,
    rate,
    feePerUnit: amount(terms.feePerUnit),
    feePerPeriod: amount(terms.feePerPeriod),
    minimum: amount(terms.minimum),
    cap: amount(terms.cap),
    negative: terms.negative,
    rounding: terms.rounding,
    effectiveTo: terms.effectiveTo,
  };
}

export function termsFromJson(json: Json, currency: string): DealTerms {
  const rawRate = json['rate'] as Json;
  const rate: RateTerm =
    rawRate['kind'] === 'tiered'
      ? {
          kind: 'tiered',
          method: rawRate['method'] as 'marginal' | 'retroactive',
          tiers: (rawRate['tiers'] as Json[]).map((tier) => ({
            from: must(tier['from'], currency),
            percent: String(tier['percent']),
          })),
        }
      : (rawRate as RateTerm);

  return {
    payees: json['payees'] as DealTerms['payees'],
    scope: json['scope'] as DealTerms['scope'],
    basis: json['basis'] as DealTerms['basis'],
    rate,
    feePerUnit: money(json['feePerUnit'], currency),
    feePerPeriod: money(json['feePerPeriod'], currency),
    minimum: money(json['minimum'], currency),
    cap: money(json['cap'], currency),
    negative: json['negative'] as DealTerms['negative'],
    rounding: json['rounding'] as RoundingMode,
    effectiveTo: (json['effectiveTo'] as string | null) ?? null,
  };
}

function figuresToJson(figures: BasisFigures): Json {
  return {
    revenue: figures.revenue.toString(),
    refunds: figures.refunds.toString(),
    chargebacks: figures.chargebacks.toString(),
    deductions: figures.deductions.toString(),
    costs: figures.costs.toString(),
    units: figures.units.toString(),
  };
}

function figuresFromJson(json: Json, currency: string): BasisFigures {
  return {
    revenue: must(json['revenue'], currency),
    refunds: must(json['refunds'], currency),
    chargebacks: must(json['chargebacks'], currency),
    deductions: must(json['deductions'], currency),
    costs: must(json['costs'], currency),
    units: BigInt(String(json['units'])),
  };
}

export function resultToJson(result: SettlementResult): Json {
  return {
    basis: result.basis,
    basisAmount: result.basisAmount.toString(),
    figures: figuresToJson(result.figures),
    terms: result.terms.map((term) => ({ ...term, amount: term.amount.toString() })),
    tiers: result.tiers.map((tier) => ({
      from: tier.from.toString(),
      to: amount(tier.to),
      percent: tier.percent,
      applied: tier.applied.toString(),
      contribution: tier.contribution.toString(),
    })),
    earned: result.earned.toString(),
    minimumAdjustment: result.minimumAdjustment.toString(),
    capAdjustment: result.capAdjustment.toString(),
    carryIn: result.carryIn.toString(),
    lateAdjustment: result.lateAdjustment.toString(),
    carryOut: result.carryOut.toString(),
    total: result.total.toString(),
    parties: result.parties.map((party) => ({ ...party, amount: party.amount.toString() })),
  };
}

export function resultFromJson(json: Json, currency: string): SettlementResult {
  const m = (key: string) => must(json[key], currency);

  return {
    basis: json['basis'] as SettlementResult['basis'],
    basisAmount: m('basisAmount'),
    figures: figuresFromJson(json['figures'] as Json, currency),
    terms: (json['terms'] as Json[]).map((term) => ({
      term: term['term'] as SettlementResult['terms'][number]['term'],
      description: String(term['description']),
      amount: must(term['amount'], currency),
    })),
    tiers: (json['tiers'] as Json[]).map((tier): TierLine => ({
      from: must(tier['from'], currency),
      to: money(tier['to'], currency),
      percent: String(tier['percent']),
      applied: must(tier['applied'], currency),
      contribution: must(tier['contribution'], currency),
    })),
    earned: m('earned'),
    minimumAdjustment: m('minimumAdjustment'),
    capAdjustment: m('capAdjustment'),
    carryIn: m('carryIn'),
    lateAdjustment: m('lateAdjustment'),
    carryOut: m('carryOut'),
    total: m('total'),
    parties: (json['parties'] as Json[]).map((party) => ({
      organizationId: String(party['organizationId']),
      role: party['role'] as SettlementResult['parties'][number]['role'],
      sharePercent: String(party['sharePercent']),
      amount: must(party['amount'], currency),
    })),
  };
}
