import { randomUUID } from 'node:crypto';
import {
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnModuleDestroy,
} from '@nestjs/common';
import { type EntityManager, MikroORM } from '@mikro-orm/postgresql';
import { DomainError } from '@kontor/errors';
import { GrpcCallError } from '@kontor/grpc';
import { rows } from '../database/sql';
import { claimJobs, renewLease, updateJob, type JobRecord } from './persistence/job.repository';
import { FileRetention } from './file-retention';
import { JobPasses } from './job-passes';

const LEASE_MS = 15_000;
const HEARTBEAT_MS = 5_000;
const POLL_MS = 1_000;
const MAX_RUNNING = 2;

/**
 * Runs committing jobs in the background. Jobs are claimed with a lease in Postgres, so after a
 * crash (or on another instance) a job whose lease ran out is picked up and resumes from its
 * last checkpoint; the ledger's idempotency keys make re-posting a batch harmless.
 */
@Injectable()
export class JobRunner implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(JobRunner.name);
  private readonly owner = `import-${randomUUID()}`;
  private readonly running = new Map<string, { abort: AbortController; done: Promise<void> }>();
  private poller: NodeJS.Timeout | null = null;
  private polling = false;
  private sweeping = false;
  private stopped = false;

  constructor(
    private readonly orm: MikroORM,
    private readonly passes: JobPasses,
    private readonly retention: FileRetention,
  ) {}

  onApplicationBootstrap(): void {
    this.poller = setInterval(() => (this.poke(), this.sweep()), POLL_MS);
    this.poke();
  }

  /** Deletes the uploaded files of ended jobs (see FileRetention), one sweep at a time. */
  private sweep(): void {
    if (this.sweeping || this.stopped) return;
    this.sweeping = true;
    this.retention
      .sweep()
      .catch((error: unknown) =>
        this.logger.warn(`deleting ended jobs' files failed: ${String(error)}`),
      )
      .finally(() => (this.sweeping = false));
  }

  // Before the ORM closes: running passes end at their next checkpoint.
  async onModuleDestroy(): Promise<void> {
    this.stopped = true;
    if (this.poller) clearInterval(this.poller);
    for (const { abort } of this.running.values()) abort.abort();
    await Promise.all([...this.running.values()].map((r) => r.done));
  }

  /** Looks for work now (CommitJob calls it so a job starts without waiting for the poll). */
  poke(): void {
    if (this.polling || this.stopped || this.running.size >= MAX_RUNNING) return;
    this.polling = true;
    claimJobs(this.orm.em.fork(), this.owner, LEASE_MS, MAX_RUNNING - this.running.size)
      .then((jobs) => jobs.forEach((job) => this.start(job)))
      .catch((error: unknown) => this.logger.error('claiming jobs failed', error))
      .finally(() => (this.polling = false));
  }

  /** Stops a job this instance runs (CancelJob); the pass ends at its next checkpoint. */
  stop(jobId: string): void {
    this.running.get(jobId)?.abort.abort();
  }

  private start(job: JobRecord): void {
    const abort = new AbortController();
    const heartbeat = setInterval(() => {
      renewLease(this.orm.em.fork(), job.id, this.owner, LEASE_MS)
        .then((held) => held || abort.abort())
        .catch((error: unknown) => this.logger.warn(`lease renewal failed: ${String(error)}`));
    }, HEARTBEAT_MS);
    const done = this.run(job, abort.signal)
      .catch((error: unknown) => this.fail(job, error))
      .finally(() => {
        clearInterval(heartbeat);
        this.running.delete(job.id);
        if (!this.stopped) this.poke();
      });
    this.running.set(job.id, { abort, done });
  }

  private async run(job: JobRecord, signal: AbortSignal): Promise<void> {
    this.logger.log(`job ${job.id}: committing (${job.policy}) from line ${job.checkpointLine}`);
    const em = this.orm.em.fork();
    if (job.policy === 'REJECT_FILE') {
      if (!job.validated) {
        const result = await this.passes.validate(job, 0, ['COMMITTING'], signal);
        Object.assign(job, result, { validated: true });
      }
      if (job.rowsInvalid > 0) {
        await this.finish(
          job,
          'REJECTED',
          `${job.rowsInvalid} rows are invalid: nothing was posted`,
        );
        return;
      }
    }
    const checkpoint = (tx: EntityManager) => renewLease(tx, job.id, this.owner, LEASE_MS);
    const outcome = await this.passes.post(job, { signal, checkpoint });
    if (outcome === 'done') {
      await this.finish(job, 'COMPLETED', null);
    } else if (this.stopped) {
      // Shutting down: hand the job to whoever starts next, without waiting for the lease.
      await updateJob(em, job.id, { lease_until: null, lease_owner: null });
    }
  }

  /** Ends a job still committing (a cancel that came first wins). */
  private async finish(job: JobRecord, state: string, failure: string | null): Promise<void> {
    await rows(
      this.orm.em.fork(),
      `UPDATE jobs SET state = ?, failure = ?, lease_until = NULL, lease_owner = NULL,
         updated_at = now()
       WHERE id = ? AND state = 'COMMITTING'`,
      [state, failure, job.id],
    );
    this.logger.log(`job ${job.id}: ${state}${failure ? ` (${failure})` : ''}`);
  }

  private async fail(job: JobRecord, error: unknown): Promise<void> {
    if (this.stopped) return;
    const known = error instanceof DomainError || error instanceof GrpcCallError;
    if (!known) this.logger.error(`job ${job.id} failed`, error);
    const reason = known ? (error as Error).message : 'internal error; see the service log';
    await this.finish(job, 'FAILED', reason).catch((e: unknown) =>
      this.logger.error(`job ${job.id}: cannot record its failure`, e),
    );
  }
}
