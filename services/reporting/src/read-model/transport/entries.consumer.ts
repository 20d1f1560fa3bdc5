import { LEDGER_ENTRIES_TOPIC } from '@kontor/events';
import { consumeTopic, type ConsumerBinding } from '@kontor/service-kit';
import { type ReadModelService } from '../read-model.service';

/**
 * `ledger.entries.v1` → lines, daily turnovers and watermarks, once per event (inbox) and once
 * per line (primary key); a consumed group of events is one statement.
 */
export function entriesConsumer(readModel: ReadModelService): ConsumerBinding {
  return consumeTopic(
    LEDGER_ENTRIES_TOPIC,
    async (event, em) => {
      await readModel.applyEntries(em, [event.message]);
    },
    async (events, em) => {
      await readModel.applyEntries(
        em,
        events.map((event) => event.message),
      );
    },
  );
}
