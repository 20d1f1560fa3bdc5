import { type MigrationObject } from '@mikro-orm/core';
import { OutboxInboxMigration } from '@kontor/kafka';
import { Migration20261121000000_api_keys_replica } from './Migration20261121000000_api_keys_replica';
import { Migration20261121140000_deals } from './Migration20261121140000_deals';
import { Migration20261121150000_ledgers_replica } from './Migration20261121150000_ledgers_replica';
import { Migration20261121160000_scope_link_indexes } from './Migration20261121160000_scope_link_indexes';

// Oldest first. Listed in code so tests (TypeScript) and production (compiled) run the same set.
export const DEALS_MIGRATIONS: MigrationObject[] = [
  {
    name: 'Migration20261121000000_api_keys_replica',
    class: Migration20261121000000_api_keys_replica,
  },
  { name: 'Migration20261121000001_outbox_inbox', class: OutboxInboxMigration },
  { name: 'Migration20261121140000_deals', class: Migration20261121140000_deals },
  {
    name: 'Migration20261121150000_ledgers_replica',
    class: Migration20261121150000_ledgers_replica,
  },
  {
    name: 'Migration20261121160000_scope_link_indexes',
    class: Migration20261121160000_scope_link_indexes,
  },
];
