import { Migration } from '@mikro-orm/migrations';

// The outbox and inbox tables, version 1. Names are unqualified on purpose: each service's role
// has its own schema as search_path, so the tables land in that schema. Frozen once released:
// a change ships as a new constant and a new migration, never as an edit of this one.

export const OUTBOX_INBOX_UP_SQL_V1: readonly string[] = [
  `CREATE TABLE outbox (
    id bigserial PRIMARY KEY,
    event_id uuid NOT NULL UNIQUE,
    topic text NOT NULL,
    key text NOT NULL,
    ce_type text NOT NULL,
    payload bytea NOT NULL,
    headers jsonb NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    published_at timestamptz NULL
  )`,
  // The relay reads unpublished rows in id order; published rows are only swept by age.
  `CREATE INDEX outbox_unpublished_idx ON outbox (id) WHERE published_at IS NULL`,
  `CREATE INDEX outbox_published_at_idx ON outbox (published_at) WHERE published_at IS NOT NULL`,
  `CREATE TABLE inbox (
    source text NOT NULL,
    event_id text NOT NULL,
    topic text NOT NULL,
    partition integer NOT NULL,
    "offset" bigint NOT NULL,
    processed_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (source, event_id)
  )`,
];

export const OUTBOX_INBOX_DOWN_SQL_V1: readonly string[] = [
  'DROP TABLE IF EXISTS inbox',
  'DROP TABLE IF EXISTS outbox',
];

/**
 * Add to the service's migrations list, under a name of the service's own, e.g.
 * `{ name: 'Migration20250301120000_outbox_inbox', class: OutboxInboxMigration }`.
 */
export class OutboxInboxMigration extends Migration {
  override up(): void {
    for (const statement of OUTBOX_INBOX_UP_SQL_V1) this.addSql(statement);
  }

  override down(): void {
    for (const statement of OUTBOX_INBOX_DOWN_SQL_V1) this.addSql(statement);
  }
}
