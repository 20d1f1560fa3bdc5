import Decimal from 'decimal.js';
import { Currency, Money, MoneyError, type RoundingMode } from '@kontor/money';
import { invalidDeal } from './deal.errors';
import { isPeriodEnd, parseDate, type SettlementFrequency } from './period';

/** What the percentages apply to. */
export type BasisKind = 'gross_revenue' | 'net_revenue' | 'margin';

/**
 * How tiers apply. `marginal`: each tier's rate applies only to the part of the basis inside it,
 * like tax brackets. `retroactive`: the rate of the highest tier reached applies to the whole
 * basis.
 */
export type TierMethod = 'marginal' | 'retroactive';

/** What a period below zero becomes. */
export type NegativePeriodHandling = 'carry_forward' | 'claw_back';

export type PartyRole = 'vendor' | 'supplier' | 'partner' | 'customer' | 'operator';

export const PARTY_ROLES: readonly PartyRole[] = [
  'vendor',
  'supplier',
  'partner',
  'customer',
  'operator',
];

/** A tier starts at `from` (basis amount) and runs up to the next tier's `from`. */
export interface Tier {
  from: Money;
  /** Percent, e.g. "30" or "12.5". */
  percent: string;
}

export type RateTerm =
  | { kind: 'none' }
  | { kind: 'flat'; percent: string }
  | { kind: 'tiered'; method: TierMethod; tiers: Tier[] };

/** A party that receives part of the settlement, in proportion to `sharePercent`. */
export interface Payee {
  organizationId: string;
  role: PartyRole;
  /** Percent of the settlement total; all payees' shares sum to exactly 100. */
  sharePercent: string;
}

/** Which ledger lines a deal looks at and how they are classified. */
export interface DealScope {
  ledgerIds: string[];
  /** Empty = every product; else only lines tagged with one of these. */
  products: string[];
  /** Empty = every counterparty; else only entries with a line naming one of these. */
  counterpartyIds: string[];
  /** Empty = every type; else only entries of these transaction types (proto names, lower case). */
  transactionTypes: string[];
  /** Credits are revenue, debits are refunds/chargebacks (default: 4000). */
  revenueAccountCodes: string[];
  /** Named costs and fees subtracted for net revenue (debits minus credits). */
  deductionAccountCodes: string[];
  /** Cost subtracted for margin (debits minus credits). */
  costAccountCodes: string[];
  /** Optional: only lines whose deal dimension equals this tag. */
  dealTag: string;
}

/** The terms of one version of a deal. */
export interface DealTerms {
  payees: Payee[];
  scope: DealScope;
  basis: BasisKind;
  rate: RateTerm;
  feePerUnit: Money | null;
  feePerPeriod: Money | null;
  minimum: Money | null;
  cap: Money | null;
  negative: NegativePeriodHandling;
  rounding: RoundingMode;
  /** Last day the deal applies ("YYYY-MM-DD", a period end), or null when open-ended. */
  effectiveTo: string | null;
}

/** What never changes over a deal's life. */
export interface DealHeader {
  payerOrganizationId: string;
  currency: string;
  frequency: SettlementFrequency;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const PERCENT = /^(0|[1-9][0-9]*)(\.[0-9]{1,6})?$/;
const MAX_TIERS = 20;
const MAX_PAYEES = 50;

export function percentRatio(percent: string): Decimal {
  return new Decimal(percent).div(100);
}

type Violations = { field: string; description: string }[];

function checkPercent(violations: Violations, field: string, percent: string): void {
  if (!PERCENT.test(percent)) {
    violations.push({
      field,
      description: `must be a percent like "30" or "12.5" (up to 6 decimals), got "${percent}"`,
    });
  } else if (new Decimal(percent).gt(100)) {
    violations.push({ field, description: `must be at most 100, got ${percent}` });
  }
}

function checkMoney(
  violations: Violations,
  field: string,
  amount: Money | null,
  currency: string,
  positive: boolean,
): void {
  if (!amount) return;
  if (amount.currency.code !== currency) {
    violations.push({ field, description: `must be in the deal currency ${currency}` });
  } else if (amount.isNegative() || (positive && amount.isZero())) {
    violations.push({
      field,
      description: positive ? 'must be above zero' : 'must not be negative',
    });
  }
}

/** Parses an amount of the deal's currency, recording a violation instead of throwing. */
export function parseAmount(
  violations: Violations,
  field: string,
  amount: string,
  currency: string,
): Money | null {
  if (amount === '') return null;
  try {
    return Money.parse(amount, currency);
  } catch (error) {
    if (!(error instanceof MoneyError)) throw error;
    violations.push({ field, description: error.message });

    return null;
  }
}

export function validateHeader(header: DealHeader, violations: Violations): void {
  if (!UUID.test(header.payerOrganizationId)) {
    violations.push({ field: 'payer_organization_id', description: 'must be a UUID' });
  }
  if (!Currency.isKnown(header.currency)) {
    violations.push({
      field: 'currency',
      description: `unknown ISO 4217 code "${header.currency}"`,
    });
  }
}

function validatePayees(terms: DealTerms, header: DealHeader, violations: Violations): void {
  if (terms.payees.length === 0 || terms.payees.length > MAX_PAYEES) {
    violations.push({ field: 'terms.payees', description: `1 to ${MAX_PAYEES} payees` });
  }
  const seen = new Set<string>();
  let total = new Decimal(0);
  terms.payees.forEach((payee, i) => {
    const field = `terms.payees[${i}]`;
    if (!UUID.test(payee.organizationId)) {
      violations.push({ field: `${field}.organization_id`, description: 'must be a UUID' });
    } else if (payee.organizationId.toLowerCase() === header.payerOrganizationId.toLowerCase()) {
      violations.push({ field: `${field}.organization_id`, description: 'is the payer' });
    } else if (seen.has(payee.organizationId.toLowerCase())) {
      violations.push({ field: `${field}.organization_id`, description: 'listed twice' });
    }
    seen.add(payee.organizationId.toLowerCase());
    checkPercent(violations, `${field}.share_percent`, payee.sharePercent);
    if (PERCENT.test(payee.sharePercent)) {
      if (new Decimal(payee.sharePercent).isZero()) {
        violations.push({ field: `${field}.share_percent`, description: 'must be above zero' });
      }
      total = total.plus(payee.sharePercent);
    }
  });
  if (terms.payees.length > 0 && !total.eq(100)) {
    violations.push({
      field: 'terms.payees',
      description: `share percentages must sum to exactly 100, got ${total.toString()}`,
    });
  }
}

function validateRate(rate: RateTerm, currency: string, violations: Violations): void {
  if (rate.kind === 'flat') checkPercent(violations, 'terms.flat_percent', rate.percent);
  if (rate.kind !== 'tiered') return;
  if (rate.tiers.length === 0 || rate.tiers.length > MAX_TIERS) {
    violations.push({ field: 'terms.tiers', description: `1 to ${MAX_TIERS} tiers` });
  }
  rate.tiers.forEach((tier, i) => {
    checkPercent(violations, `terms.tiers[${i}].percent`, tier.percent);
    checkMoney(violations, `terms.tiers[${i}].from`, tier.from, currency, false);
    if (i === 0 && !tier.from.isZero()) {
      violations.push({ field: 'terms.tiers[0].from', description: 'the first tier starts at 0' });
    }
    const previous = rate.tiers[i - 1];
    if (
      previous &&
      tier.from.currency === previous.from.currency &&
      tier.from.compare(previous.from) <= 0
    ) {
      violations.push({
        field: `terms.tiers[${i}].from`,
        description: `tiers must be in ascending order: ${tier.from.toString()} does not exceed ${previous.from.toString()}`,
      });
    }
  });
}

function validateScope(scope: DealScope, basis: BasisKind, violations: Violations): void {
  if (scope.ledgerIds.length === 0) {
    violations.push({ field: 'terms.scope.ledger_ids', description: 'at least one ledger' });
  }
  scope.ledgerIds.forEach((id, i) => {
    if (!UUID.test(id)) {
      violations.push({ field: `terms.scope.ledger_ids[${i}]`, description: 'must be a UUID' });
    }
  });
  if (scope.revenueAccountCodes.length === 0) {
    violations.push({ field: 'terms.scope.revenue_account_codes', description: 'at least one' });
  }
  if (basis === 'margin' && scope.costAccountCodes.length === 0) {
    violations.push({
      field: 'terms.scope.cost_account_codes',
      description: 'a margin deal needs at least one cost account',
    });
  }
}

/**
 * Checks a version's terms against the deal: shares sum to 100, percentages within 0-100, tiers
 * ascending from 0, amounts in the deal currency, minimum not above cap, some term that earns.
 * @throws DealError INVALID_DEAL naming every bad field
 */
export function validateTerms(
  header: DealHeader,
  terms: DealTerms,
  effectiveFrom: string,
  extra: Violations = [],
): void {
  const violations: Violations = [...extra];
  validateHeader(header, violations);
  validatePayees(terms, header, violations);
  validateRate(terms.rate, header.currency, violations);
  validateScope(terms.scope, terms.basis, violations);
  checkMoney(violations, 'terms.fee_per_unit', terms.feePerUnit, header.currency, false);
  checkMoney(violations, 'terms.fee_per_period', terms.feePerPeriod, header.currency, false);
  checkMoney(violations, 'terms.minimum', terms.minimum, header.currency, false);
  checkMoney(violations, 'terms.cap', terms.cap, header.currency, true);
  const { minimum, cap } = terms;
  if (minimum && cap && minimum.currency === cap.currency && minimum.compare(cap) > 0) {
    violations.push({ field: 'terms.minimum', description: `exceeds the cap ${cap.toString()}` });
  }
  if (terms.rate.kind === 'none' && !terms.feePerUnit && !terms.feePerPeriod && !terms.minimum) {
    violations.push({
      field: 'terms',
      description: 'needs a percentage, tiers, a fee or a minimum guarantee',
    });
  }
  if (!parseDate(effectiveFrom)) {
    violations.push({ field: 'effective_from', description: 'must be a date "YYYY-MM-DD"' });
  }
  if (terms.effectiveTo !== null) {
    if (!isPeriodEnd(header.frequency, terms.effectiveTo)) {
      violations.push({
        field: 'terms.effective_to',
        description: `must be the last day of a ${header.frequency === 'monthly' ? 'month' : 'quarter'}`,
      });
    } else if (terms.effectiveTo < effectiveFrom) {
      violations.push({ field: 'terms.effective_to', description: 'is before effective_from' });
    }
  }
  if (violations.length > 0) throw invalidDeal(violations);
}
