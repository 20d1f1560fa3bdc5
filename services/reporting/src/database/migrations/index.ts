import { type MigrationObject } from '@mikro-orm/core';
import { OutboxInboxMigration } from '@kontor/kafka';
import { Migration20261121000000_ledger_summaries } from './Migration20261121000000_ledger_summaries';
import { Migration20261121100000_read_models } from './Migration20261121100000_read_models';
import { Migration20261121110000_receivables } from './Migration20261121110000_receivables';
import { Migration20261121120000_month_details } from './Migration20261121120000_month_details';
import { Migration20261121130000_pool_invoiced } from './Migration20261121130000_pool_invoiced';
import { Migration20261204100000_settlements } from './Migration20261204100000_settlements';
import { Migration20261205100000_open_dues } from './Migration20261205100000_open_dues';

// Oldest first. Listed in code so tests (TypeScript) and production (compiled) run the same set.
export const REPORTING_MIGRATIONS: MigrationObject[] = [
  {
    name: 'Migration20261121000000_ledger_summaries',
    class: Migration20261121000000_ledger_summaries,
  },
  { name: 'Migration20261121000001_outbox_inbox', class: OutboxInboxMigration },
  { name: 'Migration20261121100000_read_models', class: Migration20261121100000_read_models },
  { name: 'Migration20261121110000_receivables', class: Migration20261121110000_receivables },
  { name: 'Migration20261121120000_month_details', class: Migration20261121120000_month_details },
  { name: 'Migration20261121130000_pool_invoiced', class: Migration20261121130000_pool_invoiced },
  { name: 'Migration20261204100000_settlements', class: Migration20261204100000_settlements },
  { name: 'Migration20261205100000_open_dues', class: Migration20261205100000_open_dues },
];
