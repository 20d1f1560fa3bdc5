import { type MigrationObject } from '@mikro-orm/core';
import { OutboxInboxMigration } from '@kontor/kafka';
import { Migration20261121000000_tenants_and_ledgers } from './Migration20261121000000_tenants_and_ledgers';
import { Migration20261121120000_book_of_record } from './Migration20261121120000_book_of_record';
import { Migration20261121130000_ledger_default_chart_flag } from './Migration20261121130000_ledger_default_chart_flag';
import { Migration20261121140000_posting_rules } from './Migration20261121140000_posting_rules';

// Oldest first. Listed in code so tests (TypeScript) and production (compiled) run the same set.
export const LEDGER_MIGRATIONS: MigrationObject[] = [
  {
    name: 'Migration20261121000000_tenants_and_ledgers',
    class: Migration20261121000000_tenants_and_ledgers,
  },
  { name: 'Migration20261121000001_outbox_inbox', class: OutboxInboxMigration },
  { name: 'Migration20261121120000_book_of_record', class: Migration20261121120000_book_of_record },
  {
    name: 'Migration20261121130000_ledger_default_chart_flag',
    class: Migration20261121130000_ledger_default_chart_flag,
  },
  { name: 'Migration20261121140000_posting_rules', class: Migration20261121140000_posting_rules },
];
