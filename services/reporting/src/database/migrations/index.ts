import { type MigrationObject } from '@mikro-orm/core';
import { OutboxInboxMigration } from '@kontor/kafka';
import { Migration20261121000000_ledger_summaries } from './Migration20261121000000_ledger_summaries';

// Oldest first. Listed in code so tests (TypeScript) and production (compiled) run the same set.
export const REPORTING_MIGRATIONS: MigrationObject[] = [
  {
    name: 'Migration20261121000000_ledger_summaries',
    class: Migration20261121000000_ledger_summaries,
  },
  { name: 'Migration20261121000001_outbox_inbox', class: OutboxInboxMigration },
];
