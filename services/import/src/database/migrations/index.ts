import { type MigrationObject } from '@mikro-orm/core';
import { OutboxInboxMigration } from '@kontor/kafka';
import { Migration20261121000000_api_keys_replica } from './Migration20261121000000_api_keys_replica';
import { Migration20261121150000_imports } from './Migration20261121150000_imports';
import { Migration20261122090000_job_file_retention } from './Migration20261122090000_job_file_retention';

// Oldest first. Listed in code so tests (TypeScript) and production (compiled) run the same set.
export const IMPORT_MIGRATIONS: MigrationObject[] = [
  {
    name: 'Migration20261121000000_api_keys_replica',
    class: Migration20261121000000_api_keys_replica,
  },
  { name: 'Migration20261121000001_outbox_inbox', class: OutboxInboxMigration },
  { name: 'Migration20261121150000_imports', class: Migration20261121150000_imports },
  {
    name: 'Migration20261122090000_job_file_retention',
    class: Migration20261122090000_job_file_retention,
  },
];
