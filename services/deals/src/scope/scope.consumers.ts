import { LEDGER_ENTRIES_TOPIC, LEDGER_LEDGERS_TOPIC } from '@kontor/events';
import { consumeTopic, type ConsumerBinding } from '@kontor/service-kit';
import { recordEntries, recordEntry, recordLedger, recordOrganization } from './scope-lines.writer';

/**
 * What the deals service builds from the ledger's events, once per event (inbox): the scope
 * lines from `ledger.entries.v1` and the organizations and ledgers replicas from `ledger.ledgers.v1`.
 */
export function scopeConsumers(): ConsumerBinding[] {
  return [
    consumeTopic(
      LEDGER_ENTRIES_TOPIC,
      (event, em) => recordEntry(em, event.message),
      (events, em) =>
        recordEntries(
          em,
          events.map((event) => event.message),
        ),
    ),
    consumeTopic(LEDGER_LEDGERS_TOPIC, async (event, em) => {
      switch (event.message.$typeName) {
        case 'kontor.events.v1.OrganizationCreated':
          return recordOrganization(em, event.message);
        case 'kontor.events.v1.LedgerCreated':
          return recordLedger(em, event.message);
        case 'kontor.events.v1.AccountCreated':
          return;
      }
    }),
  ];
}
