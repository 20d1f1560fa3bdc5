import { randomUUID } from 'node:crypto';
import { type EntityManager, type MikroORM } from '@mikro-orm/postgresql';
import { type Kafka } from 'kafkajs';
import { type EntryPosted } from '@kontor/contracts/events/v1/entry_events_pb';
import {
  type AccountCreated,
  type LedgerCreated,
  type OrganizationCreated,
} from '@kontor/contracts/events/v1/ledger_events_pb';
import {
  DEALS_SETTLEMENTS_TOPIC,
  LEDGER_ENTRIES_TOPIC,
  LEDGER_LEDGERS_TOPIC,
} from '@kontor/events';
import {
  decodeEvent,
  PermanentEventError,
  PoisonMessageError,
  type EventLogger,
} from '@kontor/kafka';
import { query } from '../database/sql';
import { type LedgerSummariesService } from '../ledgers/ledger-summaries.service';
import { type ProfitSharingService } from '../profit-sharing/profit-sharing.service';
import {
  settlementRecord,
  type SettlementRecord,
} from '../profit-sharing/transport/settlement-record.mapper';
import { type ReadModelService } from '../read-model/read-model.service';

/** The versioned read-model tables (every one has a `version` column). */
export const VERSIONED_TABLES = [
  'rm_lines',
  'rm_account_days',
  'rm_detail_days',
  'rm_ledger_watermarks',
  'rm_accounts',
  'rm_organizations',
  'rm_invoices',
  'rm_receivable_pools',
  'rm_open_dues',
  'rm_product_months',
  'rm_counterparty_months',
  'rm_settlements',
  'rm_settlement_shares',
] as const;

export interface RebuildOptions {
  orm: MikroORM;
  kafka: Kafka;
  readModel: ReadModelService;
  summaries: LedgerSummariesService;
  profitSharing: ProfitSharingService;
  logger: EventLogger;
  /** Topic names (tests and the benchmark use their own; no settlements topic: none read). */
  topics?: RebuildTopics;
  /** Build the new version but do not swap it in (the benchmark). */
  swap?: boolean;
}

export interface RebuildTopics {
  ledgers: string;
  entries: string;
  settlements?: string;
}

export interface RebuildResult {
  version: number;
  previousVersion: number;
  events: number;
  lines: number;
  millis: number;
  /** From the first fetched batch to the last one applied (the rate without the group join). */
  applyMillis: number;
}

/**
 * Rebuilds the read models from the beginning of the topics into a new model version, then
 * swaps it in:
 * 1. a 'building' version is registered: from then on the live consumer writes every new event
 *    into it as well (so nothing published during the rebuild is missed);
 * 2. a fresh consumer group reads the topics (ledgers, entries, deal settlements) from the beginning up to their end offsets taken
 *    after step 1, applying each fetched batch with one statement; writes are idempotent per
 *    line and per account/organization, so events seen by both the rebuild and the live
 *    consumer count once;
 * 3. one transaction retires the active version and activates the new one, unless a newer
 *    rebuild retired it meanwhile (RebuildSupersededError, its rows deleted); the old rows are
 *    deleted afterwards.
 */
export async function rebuildReadModels(options: RebuildOptions): Promise<RebuildResult> {
  const started = Date.now();
  const { orm, kafka, logger } = options;
  const topics = options.topics ?? {
    ledgers: LEDGER_LEDGERS_TOPIC.name,
    entries: LEDGER_ENTRIES_TOPIC.name,
    settlements: DEALS_SETTLEMENTS_TOPIC.name,
  };
  const topicNames = [topics.ledgers, topics.entries, topics.settlements].filter(
    (name): name is string => name !== undefined,
  );
  const em = orm.em.fork();
  const version = await registerBuildingVersion(em);
  logger.info('rebuild: building read-model version', { version });
  const ends = await endOffsets(kafka, topicNames);
  const counts = { events: 0, lines: 0 };
  let firstBatchAt = 0;
  let lastBatchAt = 0;
  const consumer = kafka.consumer({
    groupId: `reporting.rebuild.${version}.${randomUUID().slice(0, 8)}`,
    maxBytesPerPartition: 8 * 1024 * 1024,
  });
  await consumer.connect();
  try {
    await consumer.subscribe({ topics: topicNames, fromBeginning: true });
    const remaining = new Map([...ends].filter(([, end]) => end > 0n));
    if (remaining.size > 0) {
      await new Promise<void>((resolve, reject) => {
        consumer
          .run({
            autoCommit: false,
            // Partitions hold different ledgers (the key), so their writes never touch the same
            // rows: a few apply at once.
            partitionsConsumedConcurrently: 3,
            eachBatch: async ({ batch }) => {
              firstBatchAt ||= Date.now();
              const key = `${batch.topic}/${batch.partition}`;
              const end = remaining.get(key);
              const records = batch.messages.filter(
                (message) => end !== undefined && BigInt(message.offset) < end,
              );
              const applied = await applyBatch(
                options,
                version,
                batch.topic,
                topics,
                records.map((message) => ({
                  topic: batch.topic,
                  partition: batch.partition,
                  offset: message.offset,
                  key: message.key,
                  value: message.value,
                  headers: message.headers,
                })),
              );
              counts.events += records.length;
              counts.lines += applied;
              lastBatchAt = Date.now();
              const last = batch.messages.at(-1);
              if (end !== undefined && last && BigInt(last.offset) + 1n >= end) {
                remaining.delete(key);
                if (remaining.size === 0) resolve();
              }
            },
          })
          .catch(reject);
      });
    }
  } finally {
    await consumer.disconnect();
  }
  const previousVersion =
    options.swap === false ? version : await swapIn(orm.em.fork(), version, logger);

  return {
    version,
    previousVersion,
    ...counts,
    millis: Date.now() - started,
    applyMillis: lastBatchAt - firstBatchAt,
  };
}

async function registerBuildingVersion(em: EntityManager): Promise<number> {
  return em.transactional(async (tx) => {
    await query(tx, `LOCK TABLE model_versions IN EXCLUSIVE MODE`);
    // A rebuild that died half-way leaves a 'building' version: retire it (its rows go below).
    const stale = await query<{ version: number }>(
      tx,
      `UPDATE model_versions SET state = 'retired' WHERE state = 'building' RETURNING version`,
    );
    await deleteVersions(
      tx,
      stale.map((row) => row.version),
    );
    const [row] = await query<{ version: number }>(
      tx,
      `INSERT INTO model_versions (version, state)
       SELECT max(version) + 1, 'building' FROM model_versions RETURNING version`,
    );

    return row.version;
  });
}

async function deleteVersions(em: EntityManager, versions: readonly number[]): Promise<void> {
  if (versions.length === 0) return;
  for (const table of VERSIONED_TABLES) {
    await query(
      em,
      `DELETE FROM ${table} WHERE version IN (SELECT value::int FROM json_array_elements_text(?::json))`,
      [JSON.stringify(versions)],
    );
  }
}

/** A newer rebuild retired this one's version while it ran: its rows are incomplete. */
export class RebuildSupersededError extends Error {
  constructor(readonly version: number) {
    super(
      `rebuild of read-model version ${version} was superseded: another rebuild started while it ` +
        `ran and retired it, so nothing was swapped in; the active version is unchanged`,
    );
  }
}

async function swapIn(em: EntityManager, version: number, logger: EventLogger): Promise<number> {
  const previous = await em
    .transactional(async (tx) => {
      await query(tx, `LOCK TABLE model_versions IN EXCLUSIVE MODE`);
      const [active] = await query<{ version: number }>(
        tx,
        `UPDATE model_versions SET state = 'retired' WHERE state = 'active' RETURNING version`,
      );
      const activated = await query(
        tx,
        `UPDATE model_versions SET state = 'active', activated_at = now()
         WHERE version = ? AND state = 'building' RETURNING version`,
        [version],
      );
      // Rolls the retirement back with it.
      if (activated.length === 0) throw new RebuildSupersededError(version);

      return active.version;
    })
    .catch(async (error: unknown) => {
      if (error instanceof RebuildSupersededError) await deleteVersions(em, [version]);
      throw error;
    });
  logger.info('rebuild: swapped in', { version, previous });
  await deleteVersions(em, [previous]);

  return previous;
}

async function endOffsets(kafka: Kafka, topics: readonly string[]): Promise<Map<string, bigint>> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const ends = new Map<string, bigint>();
    for (const topic of topics) {
      for (const partition of await admin.fetchTopicOffsets(topic)) {
        // A partition emptied by retention (low = high) has nothing to read.
        const empty = BigInt(partition.low) >= BigInt(partition.high);
        ends.set(`${topic}/${partition.partition}`, empty ? 0n : BigInt(partition.high));
      }
    }

    return ends;
  } finally {
    await admin.disconnect();
  }
}

type Record = Parameters<typeof decodeEvent>[1];

/** Decodes and applies one fetched batch in one transaction; poison records are skipped. */
async function applyBatch(
  options: RebuildOptions,
  version: number,
  topic: string,
  topics: RebuildTopics,
  records: Record[],
): Promise<number> {
  if (records.length === 0) return 0;
  const entries: EntryPosted[] = [];
  const ledgers: LedgerCreated[] = [];
  const accounts: AccountCreated[] = [];
  const organizations: OrganizationCreated[] = [];
  const settlements: SettlementRecord[] = [];
  for (const record of records) {
    try {
      if (topic === topics.settlements) {
        settlements.push(settlementRecord(decodeEvent(DEALS_SETTLEMENTS_TOPIC, record).message));
        continue;
      }
      if (topic === topics.entries) {
        const event = decodeEvent(LEDGER_ENTRIES_TOPIC, record);
        entries.push(event.message);
        continue;
      }
      const event = decodeEvent(LEDGER_LEDGERS_TOPIC, record);
      switch (event.message.$typeName) {
        case 'kontor.events.v1.LedgerCreated':
          ledgers.push(event.message);
          break;
        case 'kontor.events.v1.AccountCreated':
          accounts.push(event.message);
          break;
        case 'kontor.events.v1.OrganizationCreated':
          organizations.push(event.message);
          break;
      }
    } catch (error) {
      // The live consumer sent these to the dead letters; a rebuild cannot do better.
      if (!(error instanceof PoisonMessageError || error instanceof PermanentEventError)) {
        throw error;
      }
      options.logger.warn('rebuild: skipped an undecodable or invalid record', {
        topic,
        partition: record.partition,
        offset: record.offset,
      });
    }
  }

  return options.orm.em.fork().transactional(async (em) => {
    for (const ledger of ledgers) await options.summaries.applyLedgerCreated(em, ledger);
    await options.readModel.applyAccounts(em, accounts, [version]);
    await options.readModel.applyOrganizations(em, organizations, [version]);
    await options.profitSharing.applySettlements(em, settlements, [version]);

    return options.readModel.applyEntries(em, entries, [version]);
  });
}
