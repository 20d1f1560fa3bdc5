import { type MigrationObject } from '@mikro-orm/core';
import { OutboxInboxMigration } from '@kontor/kafka';
import { Migration20261121000000_tenants_and_ledgers } from './Migration20261121000000_tenants_and_ledgers';

// Oldest first. Listed in code so tests (TypeScript) and production (compiled) run the same set.
export const LEDGER_MIGRATIONS: MigrationObject[] = [
  {
    name: 'Migration20261121000000_tenants_and_ledgers',
    class: Migration20261121000000_tenants_and_ledgers,
  },
  { name: 'Migration20261121000001_outbox_inbox', class: OutboxInboxMigration },
];
