import { Injectable, Logger } from '@nestjs/common';
import { type EntityManager, MikroORM } from '@mikro-orm/postgresql';
import { GrpcStatus } from '@kontor/grpc';
import { type Money } from '@kontor/money';
import { rows } from '../database/sql';
import { ImportError, ImportErrorCode } from '../profiles/domain/import.errors';
import { type ProfileDefinition } from '../profiles/domain/profile';
import { findProfile } from '../profiles/persistence/profile.repository';
import { type PostEntryResult } from '@kontor/contracts/ledger/v1/entry_service_pb';
import { isTransient, LedgerGateway, type EntryInput } from '../ledger-client/ledger-gateway';
import { withinBalanceLimits } from './balance-limits';
import { describeErrors, type RowError } from './domain/row-mapper';
import {
  addTotals,
  deleteRowErrors,
  erroredLines,
  fileChunks,
  insertIdentities,
  insertRowErrors,
  knownIdentities,
  updateJob,
  type ErrorPolicy,
  type JobRecord,
  type JobState,
  type PostedIdentity,
  type StoredRowError,
} from './persistence/job.repository';
import { pipeRows, type RowItem } from './row-pipeline';

/** Entries per PostEntries call (the ledger's maximum). */
export const POST_BATCH = 1_000;
/**
 * Batches posting at once: the next one is read and posted while the ledger works. REJECT_FILE
 * posts one batch at a time, so that nothing after a batch the ledger refused a row of is sent.
 */
const PIPELINE_DEPTH: Record<ErrorPolicy, number> = { POST_VALID_ROWS: 2, REJECT_FILE: 1 };
/** Records per checkpoint even when few of them are valid. */
const CHECKPOINT_RECORDS = 5_000;
const ERROR_FLUSH = 1_000;
const PROGRESS_EVERY_MS = 1_000;
const RETRY_LIMIT = 40;

/** A pass found its job committed or cancelled meanwhile: it stops, writing nothing more. */
function movedOn(job: JobRecord): ImportError {
  return new ImportError(
    ImportErrorCode.JOB_STATE_CONFLICT,
    `job ${job.id} was committed or cancelled while it was being read; that pass stopped`,
  );
}

export interface PassControl {
  /** Aborted when the job must stop (shutdown, cancel, lost lease). */
  signal: AbortSignal;
  /** Called at every checkpoint; false stops the pass (the job was cancelled or taken). */
  checkpoint?: (em: EntityManager) => Promise<boolean>;
}

export interface ValidationResult {
  rowsRead: number;
  rowsValid: number;
  rowsInvalid: number;
  errors: RowError[];
  entries: { row: Extract<RowItem, { kind: 'valid' }> }[];
}

const sleep = (ms: number, signal: AbortSignal) =>
  new Promise<void>((resolve) => {
    const onAbort = () => (clearTimeout(timer), resolve());
    const timer = setTimeout(() => (signal.removeEventListener('abort', onAbort), resolve()), ms);
    signal.addEventListener('abort', onAbort, { once: true });
  });

/** The two passes over a job's file: validation (dry run) and posting. */
@Injectable()
export class JobPasses {
  private readonly logger = new Logger(JobPasses.name);

  constructor(
    private readonly orm: MikroORM,
    private readonly ledger: LedgerGateway,
  ) {}

  async definitionOf(job: JobRecord): Promise<ProfileDefinition> {
    const profile = await findProfile(
      this.orm.em.fork(),
      job.tenantId,
      job.profileId,
      job.profileVersion,
    );
    if (!profile)
      throw new ImportError(ImportErrorCode.PROFILE_NOT_FOUND, "the job's profile is gone");

    return profile.definition;
  }

  private rows(job: JobRecord, definition: ProfileDefinition, onBytes: (n: number) => void) {
    return pipeRows({
      tenantId: job.tenantId,
      profileId: job.profileId,
      definition,
      chunks: fileChunks(this.orm.em.fork(), job.id, job.fileSize),
      ledger: this.ledger,
      read: { onBytes },
    });
  }

  /** Rows as a validation sees them: also those a balance limit would refuse are errors. */
  private checkedRows(job: JobRecord, definition: ProfileDefinition, onBytes: (n: number) => void) {
    const em = this.orm.em.fork();

    return withinBalanceLimits(this.rows(job, definition, onBytes), {
      limitedAccounts: (ledgerId) => this.ledger.limitedAccounts(job.tenantId, ledgerId),
      posted: (identities) => knownIdentities(em, job.tenantId, job.profileId, identities),
    });
  }

  /**
   * Reads every row, stores the errors, sets the counts and `validated`. Returns the first
   * `previewLimit` errors and would-be entries.
   */
  async validate(
    job: JobRecord,
    previewLimit: number,
    whileIn: readonly JobState[],
    signal?: AbortSignal,
  ): Promise<ValidationResult> {
    const definition = await this.definitionOf(job);
    const em = this.orm.em.fork();
    await deleteRowErrors(em, job.id);
    const result: ValidationResult = {
      rowsRead: 0,
      rowsValid: 0,
      rowsInvalid: 0,
      errors: [],
      entries: [],
    };
    let pending: StoredRowError[] = [];
    let bytes = 0;
    let lastProgress = Date.now();
    const flush = async () => {
      await insertRowErrors(em, job.id, 'validate', pending);
      pending = [];
      const current = await updateJob(
        em,
        job.id,
        {
          rows_read: result.rowsRead,
          rows_valid: result.rowsValid,
          rows_invalid: result.rowsInvalid,
          bytes_read: bytes,
        },
        whileIn,
      );
      if (!current) throw movedOn(job);
    };
    for await (const item of this.checkedRows(job, definition, (n) => (bytes = n))) {
      if (signal?.aborted) throw new Error('stopped');
      result.rowsRead += 1;
      if (item.kind === 'invalid') {
        result.rowsInvalid += 1;
        pending.push({ line: item.line, fields: item.fields, errors: item.errors });
        if (result.errors.length < previewLimit) result.errors.push(...item.errors);
      } else {
        result.rowsValid += 1;
        if (result.entries.length < previewLimit) result.entries.push({ row: item });
      }
      if (pending.length >= ERROR_FLUSH || Date.now() - lastProgress > PROGRESS_EVERY_MS) {
        await flush();
        lastProgress = Date.now();
      }
    }
    await flush();
    if (!(await updateJob(em, job.id, { validated: true }, whileIn))) {
      throw movedOn(job);
    }
    result.errors = result.errors.slice(0, previewLimit);

    return result;
  }

  /**
   * Posts the valid rows after the job's checkpoint in batches; each batch ends in one
   * transaction that records errors, posted identities, totals, counts and the new checkpoint.
   * A crash between the ledger's answer and that transaction re-posts the batch on resume
   * with the same idempotency keys: the ledger replays, nothing posts twice.
   */
  async post(job: JobRecord, control: PassControl): Promise<'done' | 'stopped'> {
    const definition = await this.definitionOf(job);
    const skip = job.validated ? await erroredLines(this.orm.em.fork(), job.id) : new Set<number>();
    const resumeFrom = job.checkpointLine;
    const pipeline = new Pipeline(PIPELINE_DEPTH[job.policy ?? 'POST_VALID_ROWS']);
    let batch = new Batch(job, resumeFrom);
    let bytes = job.bytesRead;
    try {
      for await (const item of this.rows(job, definition, (n) => (bytes = n))) {
        if (item.line <= resumeFrom) continue;
        batch.add(item, skip);
        if (batch.valid.length >= POST_BATCH || batch.records >= CHECKPOINT_RECORDS) {
          const full = batch;
          batch = new Batch(job, full.lastLine);
          if (
            !(await pipeline.submit((previous) =>
              this.flush(full, bytes, control, previous, pipeline),
            ))
          ) {
            return 'stopped';
          }
        }
      }
      const last = batch;
      const keepGoing = await pipeline.submit((previous) =>
        this.flush(last, bytes, control, previous, pipeline),
      );

      return (await pipeline.drain()) && keepGoing ? 'done' : 'stopped';
    } finally {
      await pipeline.settle();
    }
  }

  /**
   * Posts one batch while the previous one may still be in flight, then records it once the
   * previous batch is recorded (checkpoints stay in file order).
   */
  private async flush(
    batch: Batch,
    bytes: number,
    control: PassControl,
    previous: Promise<boolean>,
    pipeline: Pipeline,
  ): Promise<boolean> {
    const job = batch.job;
    if (job.policy === 'REJECT_FILE' && batch.errors.length > 0) {
      // Validation passed these rows, but they are invalid now (the ledger changed meanwhile):
      // nothing of this batch posts, and the job stops.
      const [first] = batch.errors;
      await previous;
      await this.record(batch, [], [], bytes, control, {
        what: `row ${first.line} became invalid after the file was validated (${describeErrors(first.errors)})`,
      });

      return false;
    }
    const timing = { started: performance.now(), ledgerMs: 0 };
    const unique = batch.dedupe();
    // Rows an earlier batch of this run is posting right now are not in the table yet.
    const claimedEarlier = new Set(unique.filter((i) => pipeline.inFlight.has(i.row.identity)));
    const claimed = unique.filter((i) => !claimedEarlier.has(i)).map((i) => i.row.identity);
    claimed.forEach((identity) => pipeline.inFlight.add(identity));
    try {
      const known = await knownIdentities(this.orm.em.fork(), job.tenantId, job.profileId, claimed);
      const fresh = unique.filter((i) => !claimedEarlier.has(i) && !known.has(i.row.identity));
      batch.counts.duplicate += batch.valid.length - fresh.length;
      const posting = performance.now();
      const results = await this.postWithRetry(
        job.tenantId,
        fresh.map((i) => i.entry),
        control.signal,
      );
      timing.ledgerMs = performance.now() - posting;
      const posted = this.sortResults(batch, fresh, results);
      const keepGoing = await previous;
      const [refused] = batch.errors;
      const refusal =
        job.policy === 'REJECT_FILE' && refused
          ? {
              what: `the ledger refused row ${refused.line} while posting (${describeErrors(refused.errors)})`,
            }
          : undefined;
      const checkpointed = await this.record(batch, fresh, posted, bytes, control, refusal);
      job.checkpointLine = batch.lastLine;
      this.logger.debug(
        `job ${job.id}: ${batch.records} records to line ${batch.lastLine}: ledger ${Math.round(timing.ledgerMs)} ms, ` +
          `all ${Math.round(performance.now() - timing.started)} ms`,
      );

      return keepGoing && checkpointed && !control.signal.aborted;
    } finally {
      claimed.forEach((identity) => pipeline.inFlight.delete(identity));
    }
  }

  /** Posted rows; rejected ones become the batch's row errors. */
  private sortResults(batch: Batch, fresh: ValidItem[], results: PostEntryResult[]) {
    const posted: PostedIdentity[] = [];
    results.forEach((result, i) => {
      const item = fresh[i];
      if (result.entry) {
        posted.push({ identity: item.row.identity, line: item.line, entryId: result.entry.id });
        return;
      }
      const rejection = result.rejection!;
      const reason =
        rejection.code === Number(GrpcStatus.ALREADY_EXISTS)
          ? `already imported with different content (ledger: ${rejection.message})`
          : `ledger rejected the entry: ${rejection.message}`;
      batch.errors.push({
        line: item.line,
        fields: item.fields,
        errors: [{ rowNumber: item.line, column: '', rawValue: '', reason }],
      });
      batch.counts.invalid += 1;
      batch.counts.valid -= 1;
    });

    return posted;
  }

  /**
   * One transaction: errors, identities, totals, counts and the checkpoint of a batch. With a
   * refusal (REJECT_FILE broken at post time) the job also ends FAILED, saying how many rows
   * posted, in the same transaction: a restart never resumes it.
   */
  private async record(
    batch: Batch,
    fresh: ValidItem[],
    posted: PostedIdentity[],
    bytes: number,
    control: PassControl,
    refusal?: { what: string },
  ): Promise<boolean> {
    const job = batch.job;
    const byIdentity = new Map(fresh.map((item) => [item.row.identity, item]));

    return this.orm.em.fork().transactional(async (tx) => {
      await insertRowErrors(tx, job.id, 'post', batch.errors);
      const inserted = await insertIdentities(tx, job, posted);
      const sums = new Map<string, Money>();
      for (const p of posted) {
        if (!inserted.has(p.identity)) {
          // Another job posted the same row at the same time: the ledger replayed it for us.
          batch.counts.duplicate += 1;
          continue;
        }
        batch.counts.posted += 1;
        const amount = byIdentity.get(p.identity)!.row.amount;
        const code = amount.currency.code;
        sums.set(code, sums.get(code)?.plus(amount) ?? amount);
      }
      await addTotals(tx, job.id, new Map([...sums].map(([c, m]) => [c, m.toString()])));
      await rowsUpdate(tx, job, batch.counts, batch.lastLine, bytes);
      if (refusal) {
        await failRejectFile(tx, job, refusal.what);
        this.logger.warn(`job ${job.id}: REJECT_FILE broken at post time: ${refusal.what}`);

        return false;
      }

      return control.checkpoint ? control.checkpoint(tx) : true;
    });
  }

  private async postWithRetry(tenantId: string, entries: EntryInput[], signal: AbortSignal) {
    if (entries.length === 0) return [];
    for (let attempt = 1; ; attempt += 1) {
      try {
        return await this.ledger.postEntries(tenantId, entries);
      } catch (error) {
        if (!isTransient(error) || attempt >= RETRY_LIMIT || signal.aborted) throw error;
        const waitMs = Math.min(10_000, 250 * 2 ** Math.min(attempt, 6));
        this.logger.warn(
          `ledger call failed (attempt ${attempt}); retrying in ${waitMs} ms: ${String(error)}`,
        );
        await sleep(waitMs, signal);
      }
    }
  }
}

async function rowsUpdate(
  em: EntityManager,
  job: JobRecord,
  c: Batch['counts'],
  lastLine: number,
  bytes: number,
): Promise<void> {
  await rows(
    em,
    `UPDATE jobs SET rows_read = rows_read + ?, rows_valid = rows_valid + ?,
       rows_invalid = rows_invalid + ?, rows_posted = rows_posted + ?,
       rows_duplicate = rows_duplicate + ?, checkpoint_line = ?, bytes_read = ?,
       updated_at = now()
     WHERE id = ?`,
    [c.read, c.valid, c.invalid, c.posted, c.duplicate, lastLine, bytes, job.id],
  );
}

/**
 * Ends a REJECT_FILE job whose row the ledger refused (or that became invalid) after the file
 * was validated: what was posted stays posted (a compensating reversal would leave the rows'
 * idempotency keys taken), and the failure says how many rows that is and how to finish.
 */
async function failRejectFile(em: EntityManager, job: JobRecord, what: string): Promise<void> {
  await rows(
    em,
    `UPDATE jobs SET state = 'FAILED', lease_until = NULL, lease_owner = NULL, updated_at = now(),
       failure = ? || rows_posted || ?
     WHERE id = ? AND state = 'COMMITTING'`,
    [
      `REJECT_FILE could not be kept: ${what}; `,
      ' rows of the file were posted before the job stopped and stay posted (rows_posted, ' +
        'posted_totals); no later batch was sent. Fix the row and import the file again: rows ' +
        'already posted are skipped as duplicates',
      job.id,
    ],
  );
}

type ValidItem = Extract<RowItem, { kind: 'valid' }>;

/**
 * Batches in flight: at most `depth` posting at once, each recorded after the one
 * before it. submit() waits while the pipeline is full and says whether to keep going.
 */
class Pipeline {
  readonly inFlight = new Set<string>();
  private readonly queue: Promise<boolean>[] = [];
  private last: Promise<boolean> = Promise.resolve(true);

  constructor(private readonly depth: number) {}

  async submit(flush: (previous: Promise<boolean>) => Promise<boolean>): Promise<boolean> {
    const next = flush(this.last);
    next.catch(() => undefined); // awaited below or in drain(); never unhandled
    this.last = next;
    this.queue.push(next);
    if (this.queue.length < this.depth) return true;

    return this.queue.shift()!;
  }

  /** Waits for every batch; false when one said stop. */
  async drain(): Promise<boolean> {
    let keepGoing = true;
    while (this.queue.length > 0) keepGoing = (await this.queue.shift()!) && keepGoing;

    return keepGoing;
  }

  /** After a failure: lets the batches in flight end before the pass gives up. */
  async settle(): Promise<void> {
    await Promise.allSettled(this.queue.splice(0));
  }
}

/** The rows between two checkpoints and what they change in the job's counts. */
class Batch {
  valid: ValidItem[] = [];
  errors: StoredRowError[] = [];
  records = 0;
  lastLine = 0;
  counts = { read: 0, valid: 0, invalid: 0, posted: 0, duplicate: 0 };

  constructor(
    readonly job: JobRecord,
    startLine: number,
  ) {
    this.lastLine = startLine;
  }

  add(item: RowItem, erroredAtValidation: Set<number>): void {
    this.records += 1;
    this.lastLine = item.line;
    const counting = !this.job.validated;
    if (counting) this.counts.read += 1;
    if (erroredAtValidation.has(item.line)) return;
    if (item.kind === 'invalid') {
      this.errors.push({ line: item.line, fields: item.fields, errors: item.errors });
      this.counts.invalid += 1;
      // Valid at validation, invalid now (an organization or account changed meanwhile).
      if (!counting) this.counts.valid -= 1;
      return;
    }
    if (counting) this.counts.valid += 1;
    this.valid.push(item);
  }

  /** The first row of each identity; later ones in the batch are duplicates of it. */
  dedupe(): ValidItem[] {
    const seen = new Set<string>();

    return this.valid.filter((item) => {
      if (seen.has(item.row.identity)) return false;
      seen.add(item.row.identity);

      return true;
    });
  }
}
