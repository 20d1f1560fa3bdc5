import { DEALS_SETTLEMENTS_TOPIC } from '@kontor/events';
import { consumeTopic, type ConsumerBinding } from '@kontor/service-kit';
import { type ProfitSharingService } from '../profit-sharing.service';
import { settlementRecord } from './settlement-record.mapper';

/**
 * `deals.settlements.v1` → finalized settlements and their shares, once per event (inbox) and
 * once per settlement (primary key). Shares that do not sum to the total dead-letter the event.
 */
export function settlementsConsumer(profitSharing: ProfitSharingService): ConsumerBinding {
  return consumeTopic(DEALS_SETTLEMENTS_TOPIC, async (event, em) => {
    await profitSharing.applySettlements(em, [settlementRecord(event.message)]);
  });
}
