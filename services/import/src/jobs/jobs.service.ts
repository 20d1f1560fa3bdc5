import { createHash, randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { MikroORM } from '@mikro-orm/postgresql';
import { InvalidArgumentError, requireUuid } from '@kontor/errors';
import { ImportError, ImportErrorCode } from '../profiles/domain/import.errors';
import { ProfilesService } from '../profiles/profiles.service';
import { describeErrors } from './domain/row-mapper';
import { FileRetention } from './file-retention';
import { JobPasses, type ValidationResult } from './job-passes';
import { JobRunner } from './job-runner';
import {
  deleteChunks,
  findJob,
  FINAL_STATES,
  firstRowErrors,
  insertChunk,
  insertJob,
  jobTotals,
  rowErrorsAfter,
  sameFileJob,
  updateJob,
  type ErrorPolicy,
  type JobRecord,
  type JobState,
} from './persistence/job.repository';
import { csvRecord, textEncoder } from './reading/csv-writer';

/** Uploaded bytes are stored in chunks of this size (one row each in job_file_chunks). */
const STORED_CHUNK_BYTES = 1024 * 1024;
export const MAX_FILE_BYTES = 4 * 1024 * 1024 * 1024;

export interface JobView {
  job: JobRecord;
  sameFileAsJobId: string;
  totals: { currency: string; amount: string }[];
}

function notFound(jobId: string): ImportError {
  return new ImportError(ImportErrorCode.JOB_NOT_FOUND, `job ${jobId} not found`, {
    fieldViolations: [{ field: 'job_id', description: 'no such job in this tenant' }],
  });
}

/** A dry run reads jobs in these states and stops when a commit or cancel moves them on. */
const DRY_RUN_STATES: readonly JobState[] = ['UPLOADED', 'VALIDATED'];

function conflict(job: JobRecord, wanted: string): ImportError {
  return new ImportError(
    ImportErrorCode.JOB_STATE_CONFLICT,
    `job ${job.id} is ${job.state}: ${wanted}`,
  );
}

@Injectable()
export class JobsService {
  constructor(
    private readonly orm: MikroORM,
    private readonly profiles: ProfilesService,
    private readonly passes: JobPasses,
    private readonly runner: JobRunner,
    private readonly retention: FileRetention,
  ) {}

  async create(
    tenantId: string,
    request: { requestId: string; profileId: string; profileVersion: number; fileName: string },
  ): Promise<JobView> {
    if (request.requestId.length < 1 || request.requestId.length > 200) {
      throw new InvalidArgumentError('request_id', 'must be 1-200 characters');
    }
    const profileId = requireUuid('profile_id', request.profileId);
    const profile = await this.profiles.get(tenantId, profileId, request.profileVersion);
    const fileName = request.fileName.slice(0, 300);
    const job = await insertJob(this.orm.em.fork(), {
      id: randomUUID(),
      tenantId,
      requestId: request.requestId,
      profileId,
      profileVersion: profile.version,
      fileName,
    });
    const sameRequest =
      job.profileId === profileId &&
      job.fileName === fileName &&
      (request.profileVersion === 0 || job.profileVersion === request.profileVersion);
    if (!sameRequest) {
      throw new ImportError(
        ImportErrorCode.REQUEST_ID_REUSED,
        `request_id "${request.requestId}" was already used to create job ${job.id} with a ` +
          'different profile, version or file name; use a new request_id for a new job',
        {
          fieldViolations: [
            { field: 'request_id', description: 'already used with a different profile or file' },
          ],
        },
      );
    }

    return this.view(job);
  }

  async get(tenantId: string, jobId: string): Promise<JobRecord> {
    const job = await findJob(this.orm.em.fork(), tenantId, requireUuid('job_id', jobId));
    if (!job) throw notFound(jobId);

    return job;
  }

  async view(job: JobRecord): Promise<JobView> {
    const em = this.orm.em.fork();

    return {
      job,
      sameFileAsJobId: (await sameFileJob(em, job)) ?? '',
      totals: await jobTotals(em, job.id),
    };
  }

  /**
   * Stores the file as it streams in (1 MiB rows in Postgres: bounded memory whatever its
   * size) with its SHA-256. A retry of a finished upload with the same bytes answers the same.
   */
  async upload(
    tenantId: string,
    jobId: string,
    chunks: AsyncIterable<Uint8Array>,
  ): Promise<JobView> {
    const job = await this.get(tenantId, jobId);
    const em = this.orm.em.fork();
    const store = job.state === 'CREATED';
    if (store) await deleteChunks(em, job.id);
    const digest = createHash('sha256');
    let pending: Buffer[] = [];
    let pendingBytes = 0;
    let size = 0;
    let seq = 0;
    const write = async () => {
      if (store && pendingBytes > 0) await insertChunk(em, job.id, seq++, Buffer.concat(pending));
      pending = [];
      pendingBytes = 0;
    };
    for await (const chunk of chunks) {
      size += chunk.length;
      if (size > MAX_FILE_BYTES) {
        throw new ImportError(
          ImportErrorCode.FILE_TOO_LARGE,
          `files are limited to ${MAX_FILE_BYTES} bytes`,
        );
      }
      digest.update(chunk);
      pending.push(Buffer.from(chunk));
      pendingBytes += chunk.length;
      if (pendingBytes >= STORED_CHUNK_BYTES) await write();
    }
    await write();
    const sha256 = digest.digest('hex');
    if (!store) {
      if (job.fileSha256 === sha256) return this.view(job);
      throw conflict(job, 'its file is uploaded already (with other bytes); create a new job');
    }
    await updateJob(em, job.id, { state: 'UPLOADED', file_size: size, file_sha256: sha256 });

    return this.view((await findJob(em, tenantId, job.id))!);
  }

  async validate(tenantId: string, jobId: string, previewLimit: number) {
    const job = await this.get(tenantId, jobId);
    if (!DRY_RUN_STATES.includes(job.state)) {
      throw conflict(job, 'a dry run needs an uploaded file and a job not yet committed');
    }
    let result: ValidationResult = {
      rowsRead: 0,
      rowsValid: 0,
      rowsInvalid: 0,
      errors: [],
      entries: [],
    };
    try {
      result = await this.passes.validate(job, previewLimit, DRY_RUN_STATES);
      if (!(await updateJob(this.orm.em.fork(), job.id, { state: 'VALIDATED' }, DRY_RUN_STATES))) {
        throw conflict(job, 'it was committed or cancelled during the dry run');
      }
    } catch (error) {
      const unreadable =
        error instanceof ImportError && error.code !== ImportErrorCode.JOB_STATE_CONFLICT;
      if (!unreadable) throw error;
      // The file as a whole cannot be read with this profile: the job ends, saying why.
      await updateJob(
        this.orm.em.fork(),
        job.id,
        { state: 'FAILED', failure: error.message },
        DRY_RUN_STATES,
      );
    }

    return { view: await this.view(await this.get(tenantId, jobId)), result };
  }

  async commit(tenantId: string, jobId: string, policy: ErrorPolicy): Promise<JobView> {
    const em = this.orm.em.fork();
    const job = await em.transactional(async (tx) => {
      const locked = await findJob(tx, tenantId, requireUuid('job_id', jobId), true);
      if (!locked) throw notFound(jobId);
      if (locked.state === 'UPLOADED' || locked.state === 'VALIDATED') {
        await updateJob(tx, locked.id, {
          state: 'COMMITTING',
          policy,
          commit_started_at: new Date(),
          lease_until: null,
          bytes_read: 0,
          // REJECT_FILE decides on a validation of its own, never on an earlier dry run's: the
          // ledger may have changed since (a month closed, an account's balance moved).
          ...(policy === 'REJECT_FILE' ? { validated: false } : {}),
        });
      } else if (locked.state === 'CREATED') {
        throw conflict(locked, 'upload its file first');
      } else if (locked.policy !== policy) {
        throw conflict(locked, `it was committed with policy ${locked.policy}`);
      }

      return (await findJob(tx, tenantId, locked.id))!;
    });
    this.runner.poke();

    return this.view(job);
  }

  async cancel(tenantId: string, jobId: string): Promise<JobView> {
    const job = await this.orm.em.fork().transactional(async (tx) => {
      const locked = await findJob(tx, tenantId, requireUuid('job_id', jobId), true);
      if (!locked) throw notFound(jobId);
      if (!FINAL_STATES.includes(locked.state)) {
        await updateJob(tx, locked.id, {
          state: 'CANCELLED',
          lease_until: null,
          lease_owner: null,
        });
      }

      return (await findJob(tx, tenantId, locked.id))!;
    });
    this.runner.stop(job.id);

    return this.view(job);
  }

  async report(tenantId: string, jobId: string, limit: number) {
    const job = await this.get(tenantId, jobId);

    return {
      view: await this.view(job),
      errors: await firstRowErrors(this.orm.em.fork(), job.id, limit),
    };
  }

  /**
   * The rejected rows as a file the job's profile reads again: its encoding, delimiter (the
   * detected one when the profile detects it), quote and escape; as many banner lines as the
   * profile skips; the file's header (if any) plus "error", then each row plus its errors.
   */
  async *rejectedRows(tenantId: string, jobId: string): AsyncGenerator<Buffer> {
    const job = await this.get(tenantId, jobId);
    const { file } = await this.passes.definitionOf(job);
    const em = this.orm.em.fork();
    const { header, delimiter } = await this.retention.head(em, job, file);
    const encoder = textEncoder(file.encoding);
    const line = (fields: string[]) => csvRecord(fields, file, delimiter);
    // The banner lines the profile skips come first, so the header lands where it expects it.
    let text =
      file.skipRows > 0 ? `Rejected rows of job ${job.id}${'\n'.repeat(file.skipRows)}` : '';
    if (file.hasHeader && header !== null) text += line([...header, 'error']);
    for (let after = 0; ;) {
      const page = await rowErrorsAfter(em, job.id, after, 500);
      text += page.map((r) => line([...r.fields, describeErrors(r.errors)])).join('');
      const bytes =
        page.length === 0
          ? Buffer.concat([encoder.write(text), encoder.end()])
          : encoder.write(text);
      if (bytes.length > 0) yield bytes;
      if (page.length === 0) return;
      text = '';
      after = page[page.length - 1].line;
    }
  }
}
