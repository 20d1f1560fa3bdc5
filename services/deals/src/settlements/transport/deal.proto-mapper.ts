import { type MessageInitShape } from '@bufbuild/protobuf';
import { timestampFromDate } from '@bufbuild/protobuf/wkt';
import {
  BasisKind,
  type DealSchema,
  type DealTerms as DealTermsMessage,
  NegativePeriodHandling,
  PartyRole,
  Rounding,
  SettlementFrequency,
  SettlementStatus,
  TermKind,
  TierMethod,
  type SettlementSchema,
} from '@kontor/contracts/deals/v1/deal_service_pb';
import { TransactionType } from '@kontor/contracts/ledger/v1/entry_service_pb';
import { type Money as MoneyMessage } from '@kontor/contracts/type/v1/money_pb';
import { Money, MoneyError, RoundingMode } from '@kontor/money';
import {
  type BasisKind as DomainBasis,
  type DealTerms,
  type NegativePeriodHandling as DomainNegative,
  type PartyRole as DomainRole,
  type RateTerm,
} from '../domain/deal-terms';
import { type SettlementFrequency as DomainFrequency } from '../domain/period';
import { type TermKind as DomainTermKind } from '../domain/settlement-calculator';
import { type DealView } from '../deals.service';
import { type PeriodSettlement } from '../settlements.service';

type DealInit = MessageInitShape<typeof DealSchema>;
type SettlementInit = MessageInitShape<typeof SettlementSchema>;

export type Violations = { field: string; description: string }[];

const BASES: Record<string, DomainBasis> = {
  [BasisKind.GROSS_REVENUE]: 'gross_revenue',
  [BasisKind.NET_REVENUE]: 'net_revenue',
  [BasisKind.MARGIN]: 'margin',
};
const ROLES: Record<string, DomainRole> = {
  [PartyRole.VENDOR]: 'vendor',
  [PartyRole.SUPPLIER]: 'supplier',
  [PartyRole.PARTNER]: 'partner',
  [PartyRole.CUSTOMER]: 'customer',
  [PartyRole.OPERATOR]: 'operator',
};
const NEGATIVES: Record<string, DomainNegative> = {
  [NegativePeriodHandling.CARRY_FORWARD]: 'carry_forward',
  [NegativePeriodHandling.CLAW_BACK]: 'claw_back',
};
const ROUNDINGS: Record<string, RoundingMode> = {
  [Rounding.UNSPECIFIED]: RoundingMode.HALF_UP,
  [Rounding.HALF_UP]: RoundingMode.HALF_UP,
  [Rounding.HALF_EVEN]: RoundingMode.HALF_EVEN,
  [Rounding.DOWN]: RoundingMode.DOWN,
  [Rounding.UP]: RoundingMode.UP,
};
const FREQUENCIES: Record<string, DomainFrequency> = {
  [SettlementFrequency.MONTHLY]: 'monthly',
  [SettlementFrequency.QUARTERLY]: 'quarterly',
};
const TERM_KINDS: Record<DomainTermKind, TermKind> = {
  percentage: TermKind.PERCENTAGE,
  tiers: TermKind.TIERS,
  fee_per_unit: TermKind.FEE_PER_UNIT,
  fee_per_period: TermKind.FEE_PER_PERIOD,
};

function reverse<T extends string>(table: Record<string, T>): Record<T, number> {
  return Object.fromEntries(Object.entries(table).map(([k, v]) => [v, Number(k)])) as Record<
    T,
    number
  >;
}

const BASIS_TO_PROTO = reverse(BASES);
const ROLE_TO_PROTO = reverse(ROLES);
const NEGATIVE_TO_PROTO = reverse(NEGATIVES);
const FREQUENCY_TO_PROTO = reverse(FREQUENCIES);
const ROUNDING_TO_PROTO: Record<string, Rounding> = {
  [RoundingMode.HALF_UP]: Rounding.HALF_UP,
  [RoundingMode.HALF_EVEN]: Rounding.HALF_EVEN,
  [RoundingMode.DOWN]: Rounding.DOWN,
  [RoundingMode.UP]: Rounding.UP,
};

function pick<T>(
  violations: Violations,
  table: Record<string, T>,
  value: number,
  field: string,
  fallback: T,
): T {
  const found = table[String(value)];
  if (found === undefined) {
    violations.push({ field, description: `must be set to a known value, got ${value}` });

    return fallback;
  }

  return found;
}

export function frequencyFromProto(
  violations: Violations,
  value: SettlementFrequency,
): DomainFrequency {
  return pick(violations, FREQUENCIES, value, 'frequency', 'monthly');
}

function moneyFromProto(
  violations: Violations,
  field: string,
  message: MoneyMessage | undefined,
  currency: string,
): Money | null {
  if (!message) return null;
  try {
    return Money.parse(message.amount, message.currency === '' ? currency : message.currency);
  } catch (error) {
    if (!(error instanceof MoneyError)) throw error;
    violations.push({ field, description: error.message });

    return null;
  }
}

function rateFromProto(
  violations: Violations,
  message: DealTermsMessage,
  currency: string,
): RateTerm {
  if (message.flatPercent !== '' && message.tiers.length > 0) {
    violations.push({
      field: 'terms.flat_percent',
      description: 'give a flat percent or tiers, not both',
    });
  }
  if (message.flatPercent !== '') return { kind: 'flat', percent: message.flatPercent };
  if (message.tiers.length === 0) return { kind: 'none' };
  const method =
    message.tierMethod === TierMethod.MARGINAL
      ? 'marginal'
      : message.tierMethod === TierMethod.RETROACTIVE
        ? 'retroactive'
        : undefined;
  if (!method)
    violations.push({
      field: 'terms.tier_method',
      description: 'MARGINAL or RETROACTIVE with tiers',
    });

  return {
    kind: 'tiered',
    method: method ?? 'marginal',
    tiers: message.tiers.map((tier, i) => ({
      from:
        moneyFromProto(violations, `terms.tiers[${i}].from`, tier.from, currency) ??
        Money.zero(currency),
      percent: tier.percent,
    })),
  };
}

function typeNames(types: TransactionType[]): string[] {
  return types.map((type) => (TransactionType[type] ?? String(type)).toLowerCase());
}

/** Proto terms → domain terms; what cannot be read is added to `violations`. */
export function termsFromProto(
  violations: Violations,
  message: DealTermsMessage | undefined,
  currency: string,
): DealTerms {
  if (!message) violations.push({ field: 'terms', description: 'required' });
  const terms = message ?? ({ payees: [], tiers: [] } as unknown as DealTermsMessage);
  const scope = terms.scope;
  const money = (field: string, value: MoneyMessage | undefined) =>
    moneyFromProto(violations, `terms.${field}`, value, currency);

  return {
    payees: terms.payees.map((payee, i) => ({
      organizationId: payee.organizationId.toLowerCase(),
      role: pick(violations, ROLES, payee.role, `terms.payees[${i}].role`, 'partner'),
      sharePercent: payee.sharePercent,
    })),
    scope: {
      ledgerIds: (scope?.ledgerIds ?? []).map((id) => id.toLowerCase()),
      products: scope?.products ?? [],
      counterpartyIds: (scope?.counterpartyIds ?? []).map((id) => id.toLowerCase()),
      transactionTypes: typeNames(scope?.transactionTypes ?? []),
      revenueAccountCodes: scope?.revenueAccountCodes.length ? scope.revenueAccountCodes : ['4000'],
      deductionAccountCodes: scope?.deductionAccountCodes ?? [],
      costAccountCodes: scope?.costAccountCodes.length ? scope.costAccountCodes : ['5000'],
      dealTag: scope?.dealTag ?? '',
    },
    basis: pick(violations, BASES, terms.basis ?? 0, 'terms.basis', 'gross_revenue'),
    rate: rateFromProto(violations, terms, currency),
    feePerUnit: money('fee_per_unit', terms.feePerUnit),
    feePerPeriod: money('fee_per_period', terms.feePerPeriod),
    minimum: money('minimum', terms.minimum),
    cap: money('cap', terms.cap),
    negative: pick(
      violations,
      NEGATIVES,
      terms.negativePeriod ?? 0,
      'terms.negative_period',
      'carry_forward',
    ),
    rounding: pick(
      violations,
      ROUNDINGS,
      terms.rounding ?? 0,
      'terms.rounding',
      RoundingMode.HALF_UP,
    ),
    effectiveTo: terms.effectiveTo ? terms.effectiveTo : null,
  };
}

export const moneyMessage = (amount: Money) => ({
  amount: amount.toString(),
  currency: amount.currency.code,
});

function termsToProto(terms: DealTerms) {
  const money = (amount: Money | null) => (amount ? moneyMessage(amount) : undefined);

  return {
    payees: terms.payees.map((payee) => ({ ...payee, role: ROLE_TO_PROTO[payee.role] })),
    scope: {
      ...terms.scope,
      transactionTypes: terms.scope.transactionTypes.map(
        (name) => TransactionType[name.toUpperCase() as keyof typeof TransactionType],
      ),
    },
    basis: BASIS_TO_PROTO[terms.basis],
    flatPercent: terms.rate.kind === 'flat' ? terms.rate.percent : '',
    tierMethod:
      terms.rate.kind === 'tiered'
        ? terms.rate.method === 'marginal'
          ? TierMethod.MARGINAL
          : TierMethod.RETROACTIVE
        : TierMethod.UNSPECIFIED,
    tiers:
      terms.rate.kind === 'tiered'
        ? terms.rate.tiers.map((tier) => ({ from: moneyMessage(tier.from), percent: tier.percent }))
        : [],
    feePerUnit: money(terms.feePerUnit),
    feePerPeriod: money(terms.feePerPeriod),
    minimum: money(terms.minimum),
    cap: money(terms.cap),
    negativePeriod: NEGATIVE_TO_PROTO[terms.negative],
    rounding: ROUNDING_TO_PROTO[terms.rounding] ?? Rounding.UNSPECIFIED,
    effectiveTo: terms.effectiveTo ?? '',
  };
}

export function dealToProto(deal: DealView): DealInit {
  return {
    dealId: deal.id,
    name: deal.name,
    payerOrganizationId: deal.payerOrganizationId,
    currency: deal.currency,
    frequency: FREQUENCY_TO_PROTO[deal.frequency],
    versions: deal.versions.map((version) => ({
      version: version.version,
      effectiveFrom: version.effectiveFrom,
      terms: termsToProto(version.terms),
      changedBy: version.changedBy,
      reason: version.reason,
      createTime: timestampFromDate(version.createdAt),
    })),
    finalizedThrough: deal.finalizedThrough ?? '',
    createTime: timestampFromDate(deal.createdAt),
  };
}

export function roleToProto(role: DomainRole): PartyRole {
  return ROLE_TO_PROTO[role];
}

export function settlementToProto(settlement: PeriodSettlement): SettlementInit {
  const { result, period, stored } = settlement;
  const figures = result.figures;

  return {
    settlementId: stored?.id ?? '',
    dealId: settlement.deal.id,
    dealVersion: settlement.version.version,
    periodStart: period.start,
    periodEnd: period.end,
    periodLabel: period.label,
    status: stored ? SettlementStatus.FINALIZED : SettlementStatus.PREVIEW,
    basis: BASIS_TO_PROTO[result.basis],
    basisAmount: moneyMessage(result.basisAmount),
    figures: {
      revenue: moneyMessage(figures.revenue),
      refunds: moneyMessage(figures.refunds),
      chargebacks: moneyMessage(figures.chargebacks),
      deductions: moneyMessage(figures.deductions),
      costs: moneyMessage(figures.costs),
      units: figures.units,
      entryCount: settlement.entryCount,
    },
    terms: result.terms.map((term) => ({
      term: TERM_KINDS[term.term],
      description: term.description,
      amount: moneyMessage(term.amount),
    })),
    tiers: result.tiers.map((tier) => ({
      from: moneyMessage(tier.from),
      to: tier.to ? moneyMessage(tier.to) : undefined,
      percent: tier.percent,
      applied: moneyMessage(tier.applied),
      contribution: moneyMessage(tier.contribution),
    })),
    earned: moneyMessage(result.earned),
    minimumAdjustment: moneyMessage(result.minimumAdjustment),
    capAdjustment: moneyMessage(result.capAdjustment),
    carryIn: moneyMessage(result.carryIn),
    lateAdjustments: settlement.lateAdjustments.map((item) => ({
      periodStart: item.periodStart,
      amount: { amount: item.amount, currency: settlement.deal.currency },
      entryCount: BigInt(item.entryCount),
    })),
    carryOut: moneyMessage(result.carryOut),
    total: moneyMessage(result.total),
    parties: result.parties.map((party) => ({
      organizationId: party.organizationId,
      role: ROLE_TO_PROTO[party.role],
      sharePercent: party.sharePercent,
      amount: moneyMessage(party.amount),
    })),
    finalizeTime: stored ? timestampFromDate(stored.finalizedAt) : undefined,
    finalizedBy: stored?.finalizedBy ?? '',
  };
}
