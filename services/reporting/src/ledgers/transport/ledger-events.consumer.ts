import { LEDGER_LEDGERS_TOPIC } from '@kontor/events';
import { consumeTopic, type ConsumerBinding } from '@kontor/service-kit';
import { type ReadModelService } from '../../read-model/read-model.service';
import { type LedgerSummariesService } from '../ledger-summaries.service';

/** `ledger.ledgers.v1` → ledger summaries, accounts and organizations, once per event. */
export function ledgerEventsConsumer(
  summaries: LedgerSummariesService,
  readModel: ReadModelService,
): ConsumerBinding {
  return consumeTopic(LEDGER_LEDGERS_TOPIC, async (event, em) => {
    switch (event.message.$typeName) {
      case 'kontor.events.v1.LedgerCreated':
        return summaries.applyLedgerCreated(em, event.message);
      case 'kontor.events.v1.AccountCreated':
        return readModel.applyAccounts(em, [event.message]);
      case 'kontor.events.v1.OrganizationCreated':
        return readModel.applyOrganizations(em, [event.message]);
    }
  });
}
