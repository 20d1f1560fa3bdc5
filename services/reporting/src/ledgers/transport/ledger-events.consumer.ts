import { LEDGER_LEDGERS_TOPIC } from '@kontor/events';
import { consumeTopic, type ConsumerBinding } from '@kontor/service-kit';
import { type LedgerSummariesService } from '../ledger-summaries.service';

/** `ledger.ledgers.v1` → the ledger summaries read model, once per event. */
export function ledgerEventsConsumer(summaries: LedgerSummariesService): ConsumerBinding {
  return consumeTopic(LEDGER_LEDGERS_TOPIC, async (event, em) => {
    switch (event.message.$typeName) {
      case 'kontor.events.v1.LedgerCreated':
        return summaries.applyLedgerCreated(em, event.message);
    }
  });
}
