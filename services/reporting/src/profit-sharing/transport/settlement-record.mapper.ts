import { timestampDate } from '@bufbuild/protobuf/wkt';
import { type SettlementFinalized } from '@kontor/contracts/events/v1/settlement_events_pb';
import { PermanentEventError } from '@kontor/kafka';
import { Money } from '@kontor/money';

/** A finalized settlement as the read model stores it (one row, its shares nested). */
export interface SettlementRecord {
  tenant_id: string;
  settlement_id: string;
  deal_id: string;
  deal_name: string;
  payer_organization_id: string;
  period_start: string;
  period_end: string;
  period_label: string;
  currency: string;
  total: string;
  finalize_time: string;
  shares: { share_no: number; organization_id: string; role: string; amount: string }[];
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const DATE = /^\d{4}-\d{2}-\d{2}$/;

function reject(event: SettlementFinalized, reason: string): never {
  throw new PermanentEventError(`settlement ${event.settlementId || '?'}: ${reason}`);
}

function validDate(value: string): boolean {
  if (!DATE.test(value)) return false;
  const date = new Date(`${value}T00:00:00Z`);

  return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === value;
}

function money(event: SettlementFinalized, field: string, amount: string, currency: string) {
  try {
    return Money.parse(amount, currency);
  } catch (error) {
    return reject(event, `${field}: ${error instanceof Error ? error.message : String(error)}`);
  }
}

/**
 * Validates a SettlementFinalized event and turns it into its read-model record. The shares must
 * be in the total's currency and sum to it exactly (Money, never a float); anything else is a
 * PermanentEventError (the consumer dead-letters the event, a rebuild skips it).
 */
export function settlementRecord(event: SettlementFinalized): SettlementRecord {
  for (const [field, value] of [
    ['tenant_id', event.tenantId],
    ['settlement_id', event.settlementId],
    ['deal_id', event.dealId],
    ['payer_organization_id', event.payerOrganizationId],
  ] as const) {
    if (!UUID.test(value)) reject(event, `${field} "${value}" is not a UUID`);
  }
  if (!validDate(event.periodStart) || !validDate(event.periodEnd)) {
    reject(event, `period "${event.periodStart}".."${event.periodEnd}" is not two dates`);
  }
  if (event.periodEnd < event.periodStart) reject(event, 'period_end is before period_start');
  if (!event.total) reject(event, 'total is missing');
  if (!event.finalizeTime) reject(event, 'finalize_time is missing');
  if (event.shares.length === 0) reject(event, 'has no shares');
  const currency = event.total.currency;
  const total = money(event, 'total', event.total.amount, currency);
  let sum = Money.zero(total.currency);
  const shares = event.shares.map((share, index) => {
    if (!UUID.test(share.organizationId)) {
      reject(event, `shares[${index}].organization_id "${share.organizationId}" is not a UUID`);
    }
    if (!share.amount) reject(event, `shares[${index}].amount is missing`);
    if (share.amount.currency !== currency) {
      reject(event, `shares[${index}] is in ${share.amount.currency}, the total in ${currency}`);
    }
    const amount = money(event, `shares[${index}].amount`, share.amount.amount, currency);
    sum = sum.plus(amount);

    return {
      share_no: index,
      organization_id: share.organizationId.toLowerCase(),
      role: share.role,
      amount: amount.toString(),
    };
  });
  if (!sum.equals(total)) {
    reject(event, `the shares sum to ${sum.toString()}, not to the total ${total.toString()}`);
  }

  return {
    tenant_id: event.tenantId.toLowerCase(),
    settlement_id: event.settlementId.toLowerCase(),
    deal_id: event.dealId.toLowerCase(),
    deal_name: event.dealName,
    payer_organization_id: event.payerOrganizationId.toLowerCase(),
    period_start: event.periodStart,
    period_end: event.periodEnd,
    period_label: event.periodLabel,
    currency: total.currency.code,
    total: total.toString(),
    finalize_time: timestampDate(event.finalizeTime).toISOString(),
    shares,
  };
}
