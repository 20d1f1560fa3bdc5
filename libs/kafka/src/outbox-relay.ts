import { type Kafka, type Message, type Producer, type TopicMessages } from 'kafkajs';
import { createEventProducer } from './kafka-client';
import { Client, escapeIdentifier } from 'pg';
import { backoffDelayMs, sleep, type RetryPolicy } from './backoff';
import { CloudEventHeader } from './cloud-events';
import { OUTBOX_CHANNEL_PREFIX } from './enqueue-event';
import { describeError } from './event-errors';
import { nestLogger, type EventLogger } from './logger';

export interface OutboxRelayOptions {
  /** The service's own-role URL; the role's search_path names the schema holding `outbox`. */
  databaseUrl: string;
  kafka: Kafka;
  /** ce_source stamped on every record, e.g. `/kontor/ledger`. */
  source: string;
  /** A producer to use instead of an own idempotent one (the caller connects and owns it). */
  producer?: Producer;
  /** Rows per transaction and per produce request; default 200. */
  batchRowsMax?: number;
  /** Fallback wake-up when no NOTIFY arrives; default 500 ms. */
  pollIntervalMs?: number;
  /** How long published rows are kept (for audit and re-publishing); default 7 days. */
  retentionMs?: number;
  /** How often published rows older than the retention are deleted; default 60 s. */
  cleanupIntervalMs?: number;
  /** How often a standby relay tries to take over the lock; default 5 s. */
  standbyRetryMs?: number;
  /** Backoff after a database or broker failure; default 500 ms doubling up to 30 s. */
  backoff?: Pick<RetryPolicy, 'initialDelayMs' | 'delayMaxMs'>;
  logger?: EventLogger;
}

interface OutboxRow {
  id: string;
  topic: string;
  key: string;
  payload: Buffer;
  headers: Record<string, unknown>;
}

// Rows are locked as well as the relay: the row lock keeps an ops script or a second relay of
// an older version from publishing the same rows concurrently.
// `outbox.id` is qualified on purpose: a bare ORDER BY id would sort by an output column of that
// name if it were ever cast to text, and '10000' sorts before '9999'. pg returns bigint as text.
const SELECT_BATCH_SQL = `SELECT outbox.id, topic, key, payload, headers
FROM outbox WHERE published_at IS NULL ORDER BY outbox.id LIMIT $1 FOR UPDATE SKIP LOCKED`;
const MARK_PUBLISHED_SQL = 'UPDATE outbox SET published_at = now() WHERE id = ANY($1::bigint[])';
const DELETE_EXPIRED_SQL = `DELETE FROM outbox WHERE id IN (
  SELECT id FROM outbox
  WHERE published_at IS NOT NULL AND published_at < now() - $1::bigint * interval '1 millisecond'
  ORDER BY published_at LIMIT $2)`;
const CLEANUP_ROWS_PER_STATEMENT = 10_000;
const CLEANUP_STATEMENTS_MAX = 10;

/** Resolves waiters on a signal or after a timeout; a signal with no waiter is remembered. */
class Wakeup {
  private pending = false;
  private release: (() => void) | undefined;

  signal(): void {
    this.pending = true;
    this.release?.();
  }

  async wait(timeoutMs: number): Promise<void> {
    if (!this.pending) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(done, timeoutMs);
        function done(): void {
          clearTimeout(timer);
          resolve();
        }
        this.release = done;
      });
      this.release = undefined;
    }
    this.pending = false;
  }
}

/**
 * Publishes committed outbox rows to Kafka in id order, at least once. One relay per service
 * schema is active at a time: it holds a session advisory lock on its own connection and runs
 * every batch on that same connection, so losing the connection both aborts the batch and frees
 * the lock for a standby, and two relays can never interleave rows of the same key.
 */
export class OutboxRelay {
  private readonly logger: EventLogger;
  private readonly producer: Producer;
  private readonly ownsProducer: boolean;
  private readonly batchRowsMax: number;
  private readonly pollIntervalMs: number;
  private readonly retentionMs: number;
  private readonly cleanupIntervalMs: number;
  private readonly standbyRetryMs: number;
  private readonly backoff: Pick<RetryPolicy, 'initialDelayMs' | 'delayMaxMs'>;
  private readonly wakeup = new Wakeup();
  private client: Client | undefined;
  private lockKey = '';
  private active = false;
  private standbyLogged = false;
  private producerConnected = false;
  private lastCleanupAt = 0;
  private loop: Promise<void> | undefined;
  private stopSignal = new AbortController();

  constructor(private readonly options: OutboxRelayOptions) {
    this.logger = options.logger ?? nestLogger('OutboxRelay');
    this.ownsProducer = options.producer === undefined;
    this.producer = options.producer ?? createEventProducer(options.kafka);
    this.producerConnected = !this.ownsProducer;
    this.batchRowsMax = options.batchRowsMax ?? 200;
    this.pollIntervalMs = options.pollIntervalMs ?? 500;
    this.retentionMs = options.retentionMs ?? 7 * 24 * 60 * 60 * 1000;
    this.cleanupIntervalMs = options.cleanupIntervalMs ?? 60_000;
    this.standbyRetryMs = options.standbyRetryMs ?? 5_000;
    this.backoff = options.backoff ?? { initialDelayMs: 500, delayMaxMs: 30_000 };
  }

  /** True while this instance holds the lock and publishes. */
  get isActive(): boolean {
    return this.active;
  }

  /** Starts the publishing loop in the background; failures are logged and retried. */
  start(): Promise<void> {
    if (this.loop === undefined) {
      this.stopSignal = new AbortController();
      this.loop = this.run();
    }

    return Promise.resolve();
  }

  /** Lets the in-flight batch finish (sent and marked, or rolled back), then disconnects. */
  async stop(): Promise<void> {
    if (this.loop === undefined) return;
    this.stopSignal.abort();
    this.wakeup.signal();
    await this.loop;
    this.loop = undefined;
    await this.closeConnection();
    if (this.ownsProducer && this.producerConnected) {
      await this.producer.disconnect();
      this.producerConnected = false;
    }
  }

  private get stopping(): boolean {
    return this.stopSignal.signal.aborted;
  }

  private async run(): Promise<void> {
    let failures = 0;
    while (!this.stopping) {
      try {
        const client = await this.connection();
        if (!(await this.acquireLock(client))) {
          await sleep(this.standbyRetryMs, this.stopSignal.signal);
          continue;
        }
        await this.connectProducer();
        const published = await this.publishBatch(client);
        if (failures > 0) this.logger.info('outbox relay recovered', { failures });
        failures = 0;
        // A full batch means more rows are waiting: go again without sleeping.
        if (published === this.batchRowsMax) continue;
        await this.deleteExpired(client);
        await this.wakeup.wait(this.pollIntervalMs);
      } catch (error) {
        failures++;
        const delayMs = backoffDelayMs(this.backoff, failures);
        this.logger.error('outbox relay failed; retrying', {
          error: describeError(error),
          failures,
          delayMs,
        });
        // A fresh connection after any failure: the batch transaction is gone either way.
        await this.closeConnection();
        await sleep(delayMs, this.stopSignal.signal);
      }
    }
  }

  private async connection(): Promise<Client> {
    if (this.client !== undefined) return this.client;
    const client = new Client({
      connectionString: this.options.databaseUrl,
      application_name: 'kontor-outbox-relay',
      connectionTimeoutMillis: 5_000,
      keepAlive: true,
    });
    client.on('error', (error) => {
      this.logger.warn('outbox relay lost its database connection', {
        error: describeError(error),
      });
      if (this.client === client) this.forgetConnection();
      void client.end().catch(() => undefined);
      this.wakeup.signal();
    });
    client.on('notification', () => this.wakeup.signal());
    try {
      await client.connect();
      const { rows } = await client.query<{ schema: string | null }>(
        'SELECT current_schema() AS schema',
      );
      const schema = rows[0]?.schema;
      if (!schema) throw new Error('the relay role has no schema on its search_path');
      await client.query(`LISTEN ${escapeIdentifier(`${OUTBOX_CHANNEL_PREFIX}${schema}`)}`);
      this.lockKey = `kontor.outbox-relay:${schema}`;
    } catch (error) {
      await client.end().catch(() => undefined);
      throw error;
    }
    this.client = client;

    return client;
  }

  private forgetConnection(): void {
    this.client = undefined;
    if (this.active) this.logger.warn('outbox relay gave up the lock', { lock: this.lockKey });
    this.active = false;
  }

  private async closeConnection(): Promise<void> {
    const client = this.client;
    if (client === undefined) return;
    this.forgetConnection();
    // Ending the session releases the advisory lock.
    await client.end().catch(() => undefined);
  }

  private async acquireLock(client: Client): Promise<boolean> {
    if (this.active) return true;
    const { rows } = await client.query<{ locked: boolean }>(
      'SELECT pg_try_advisory_lock(hashtextextended($1, 0)) AS locked',
      [this.lockKey],
    );
    this.active = rows[0]?.locked === true;
    if (this.active) {
      this.standbyLogged = false;
      this.logger.info('outbox relay is active', { lock: this.lockKey });
    } else if (!this.standbyLogged) {
      this.standbyLogged = true;
      this.logger.info('outbox relay stands by: another relay holds the lock', {
        lock: this.lockKey,
      });
    }

    return this.active;
  }

  private async connectProducer(): Promise<void> {
    if (this.producerConnected) return;
    await this.producer.connect();
    this.producerConnected = true;
  }

  private async publishBatch(client: Client): Promise<number> {
    await client.query('BEGIN');
    try {
      const { rows } = await client.query<OutboxRow>(SELECT_BATCH_SQL, [this.batchRowsMax]);
      if (rows.length > 0) {
        // Sent before marking: a crash in between re-sends the rows, and consumers de-duplicate.
        await this.producer.sendBatch({ acks: -1, topicMessages: this.topicMessages(rows) });
        await client.query(MARK_PUBLISHED_SQL, [rows.map((row) => row.id)]);
      }
      await client.query('COMMIT');

      return rows.length;
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    }
  }

  /** Groups rows by topic, keeping id order inside each topic (and so inside each key). */
  private topicMessages(rows: OutboxRow[]): TopicMessages[] {
    const byTopic = new Map<string, Message[]>();
    for (const row of rows) {
      const headers: Record<string, string> = {};
      for (const [name, value] of Object.entries(row.headers)) headers[name] = String(value);
      headers[CloudEventHeader.source] ??= this.options.source;
      const messages = byTopic.get(row.topic) ?? [];
      messages.push({ key: row.key, value: row.payload, headers });
      byTopic.set(row.topic, messages);
    }

    return [...byTopic].map(([topic, messages]) => ({ topic, messages }));
  }

  private async deleteExpired(client: Client): Promise<void> {
    if (Date.now() - this.lastCleanupAt < this.cleanupIntervalMs) return;
    this.lastCleanupAt = Date.now();
    let deleted = 0;
    for (let statement = 0; statement < CLEANUP_STATEMENTS_MAX; statement++) {
      const { rowCount } = await client.query(DELETE_EXPIRED_SQL, [
        this.retentionMs,
        CLEANUP_ROWS_PER_STATEMENT,
      ]);
      deleted += rowCount ?? 0;
      if ((rowCount ?? 0) < CLEANUP_ROWS_PER_STATEMENT || this.stopping) break;
    }
    if (deleted > 0) this.logger.info('deleted published outbox rows', { deleted });
  }
}
