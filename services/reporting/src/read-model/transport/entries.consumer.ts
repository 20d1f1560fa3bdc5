import { LEDGER_ENTRIES_TOPIC } from '@kontor/events';
import { consumeTopic, type ConsumerBinding } from '@kontor/service-kit';
import { type ReadModelService } from '../read-model.service';

/**
 * Up to this many consecutive events of a partition are applied in one transaction (a fetched
 * batch holds about two thousand): fewer commits and statements per event on a backlog.
 */
export const ENTRIES_GROUP_EVENTS_MAX = 1_000;

/**
 * `ledger.entries.v1` → lines, daily turnovers and watermarks, once per event (inbox) and once
 * per line (primary key); a consumed group of events is one statement. Partitions hold different
 * ledgers (the key), whose rows never overlap, so three are applied at once: one's statements run
 * in Postgres while the next group is decoded.
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
    { groupEventsMax: ENTRIES_GROUP_EVENTS_MAX, partitionsConsumedConcurrently: 3 },
  );
}
