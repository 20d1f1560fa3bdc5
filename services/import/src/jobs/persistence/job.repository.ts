import { type EntityManager } from '@mikro-orm/postgresql';
import { rows } from '../../database/sql';
import { ImportError, ImportErrorCode } from '../../profiles/domain/import.errors';
import { type RowError } from '../domain/row-mapper';

export const JOB_STATES = [
  'CREATED',
  'UPLOADED',
  'VALIDATED',
  'COMMITTING',
  'COMPLETED',
  'REJECTED',
  'CANCELLED',
  'FAILED',
] as const;
export type JobState = (typeof JOB_STATES)[number];
export type ErrorPolicy = 'REJECT_FILE' | 'POST_VALID_ROWS';
export const FINAL_STATES: readonly JobState[] = ['COMPLETED', 'REJECTED', 'CANCELLED', 'FAILED'];

export interface JobCounts {
  rowsRead: number;
  rowsValid: number;
  rowsInvalid: number;
  rowsPosted: number;
  rowsDuplicate: number;
}

export interface JobRecord extends JobCounts {
  id: string;
  tenantId: string;
  requestId: string;
  profileId: string;
  profileVersion: number;
  fileName: string;
  state: JobState;
  policy: ErrorPolicy | null;
  fileSize: number;
  fileSha256: string | null;
  validated: boolean;
  bytesRead: number;
  checkpointLine: number;
  failure: string | null;
  commitStartedAt: Date | null;
  /** When the uploaded bytes were deleted (the job ended); null while they are stored. */
  fileDeletedAt: Date | null;
  /** Kept from the file when it is deleted: its header row (files with one) and delimiter. */
  fileHeader: string[] | null;
  fileDelimiter: string | null;
  createdAt: Date;
  updatedAt: Date;
}

type JobRow = Record<string, unknown>;

const num = (value: unknown) => Number(value ?? 0);
// The ORM's pg connection may hand timestamps back as text.
const date = (value: unknown) =>
  value === null || value === undefined ? null : new Date(value as string | Date);

function toJob(r: JobRow): JobRecord {
  return {
    id: r['id'] as string,
    tenantId: r['tenant_id'] as string,
    requestId: r['request_id'] as string,
    profileId: r['profile_id'] as string,
    profileVersion: num(r['profile_version']),
    fileName: r['file_name'] as string,
    state: r['state'] as JobState,
    policy: (r['policy'] as ErrorPolicy | null) ?? null,
    fileSize: num(r['file_size']),
    fileSha256: (r['file_sha256'] as string | null) ?? null,
    validated: r['validated'] as boolean,
    rowsRead: num(r['rows_read']),
    rowsValid: num(r['rows_valid']),
    rowsInvalid: num(r['rows_invalid']),
    rowsPosted: num(r['rows_posted']),
    rowsDuplicate: num(r['rows_duplicate']),
    bytesRead: num(r['bytes_read']),
    checkpointLine: num(r['checkpoint_line']),
    failure: (r['failure'] as string | null) ?? null,
    commitStartedAt: date(r['commit_started_at']),
    fileDeletedAt: date(r['file_deleted_at']),
    fileHeader: (r['file_header'] as string[] | null) ?? null,
    fileDelimiter: (r['file_delimiter'] as string | null) ?? null,
    createdAt: date(r['created_at'])!,
    updatedAt: date(r['updated_at'])!,
  };
}

export interface NewJob {
  id: string;
  tenantId: string;
  requestId: string;
  profileId: string;
  profileVersion: number;
  fileName: string;
}

/** Inserts the job, or returns the one an earlier call with the same request id created. */
export async function insertJob(em: EntityManager, job: NewJob): Promise<JobRecord> {
  await rows(
    em,
    `INSERT INTO jobs (id, tenant_id, request_id, profile_id, profile_version, file_name, state)
     VALUES (?, ?, ?, ?, ?, ?, 'CREATED') ON CONFLICT (tenant_id, request_id) DO NOTHING`,
    [job.id, job.tenantId, job.requestId, job.profileId, job.profileVersion, job.fileName],
  );
  const [found] = await rows(em, `SELECT * FROM jobs WHERE tenant_id = ? AND request_id = ?`, [
    job.tenantId,
    job.requestId,
  ]);

  return toJob(found);
}

export async function findJob(
  em: EntityManager,
  tenantId: string,
  jobId: string,
  lock = false,
): Promise<JobRecord | undefined> {
  const [found] = await rows(
    em,
    `SELECT * FROM jobs WHERE tenant_id = ? AND id = ?${lock ? ' FOR UPDATE' : ''}`,
    [tenantId, jobId],
  );

  return found ? toJob(found) : undefined;
}

/**
 * Sets columns of a job. With `onlyIn`, only while the job is still in one of those states:
 * false when it has moved on meanwhile (committed or cancelled during a dry run), so a slow pass
 * never overwrites what another call decided.
 */
export async function updateJob(
  em: EntityManager,
  jobId: string,
  set: Record<string, unknown>,
  onlyIn?: readonly JobState[],
): Promise<boolean> {
  const columns = Object.keys(set);
  const assignments = columns.map((c) => `${c} = ?`).join(', ');
  // A Postgres array literal: knex would expand a JS array into a list of parameters.
  const states = onlyIn ? `{${onlyIn.join(',')}}` : null;
  const updated = await rows(
    em,
    `UPDATE jobs SET ${assignments}, updated_at = now()
      WHERE id = ? AND (?::text[] IS NULL OR state = ANY(?::text[])) RETURNING id`,
    [...columns.map((c) => set[c]), jobId, states, states],
  );

  return updated.length > 0;
}

export async function sameFileJob(em: EntityManager, job: JobRecord): Promise<string | undefined> {
  if (job.fileSha256 === null) return undefined;
  const [found] = await rows<{ id: string }>(
    em,
    `SELECT id FROM jobs WHERE tenant_id = ? AND file_sha256 = ? AND id <> ?
     ORDER BY created_at LIMIT 1`,
    [job.tenantId, job.fileSha256, job.id],
  );

  return found?.id;
}

export async function insertChunk(em: EntityManager, jobId: string, seq: number, data: Buffer) {
  await rows(em, `INSERT INTO job_file_chunks (job_id, seq, data) VALUES (?, ?, ?)`, [
    jobId,
    seq,
    data,
  ]);
}

export async function deleteChunks(em: EntityManager, jobId: string) {
  await rows(em, `DELETE FROM job_file_chunks WHERE job_id = ?`, [jobId]);
}

/**
 * The uploaded file, one stored chunk at a time (memory stays at one chunk). Ends with an error
 * when fewer than `size` bytes are stored: the file was deleted (the job ended) while it was
 * read, and a cut-off file must never look like a complete one.
 */
export async function* fileChunks(
  em: EntityManager,
  jobId: string,
  size: number,
): AsyncGenerator<Buffer> {
  let read = 0;
  for (let seq = 0; ; seq += 1) {
    const [chunk] = await rows<{ data: Buffer }>(
      em,
      `SELECT data FROM job_file_chunks WHERE job_id = ? AND seq = ?`,
      [jobId, seq],
    );
    if (!chunk) break;
    read += chunk.data.length;
    yield chunk.data;
  }
  if (read !== size) {
    throw new ImportError(
      ImportErrorCode.JOB_STATE_CONFLICT,
      `job ${jobId} ended and its uploaded file was deleted while it was being read`,
    );
  }
}

/** Deletes the stored file of a job, keeping what its report and rejected rows need. */
export async function retireFile(
  em: EntityManager,
  jobId: string,
  head: { header: string[] | null; delimiter: string },
): Promise<void> {
  await rows(
    em,
    `UPDATE jobs SET file_header = ?::jsonb, file_delimiter = ?, file_deleted_at = now()
     WHERE id = ?`,
    [head.header === null ? null : JSON.stringify(head.header), head.delimiter, jobId],
  );
  await rows(em, `DELETE FROM job_file_chunks WHERE job_id = ?`, [jobId]);
}

/** Jobs in a final state whose file is still stored, locked (others skip them). */
export async function jobsWithFilesToRetire(em: EntityManager, limit: number) {
  const found = await rows(
    em,
    `SELECT * FROM jobs
     WHERE file_deleted_at IS NULL AND state IN ('COMPLETED', 'REJECTED', 'CANCELLED', 'FAILED')
     ORDER BY updated_at LIMIT ? FOR UPDATE SKIP LOCKED`,
    [limit],
  );

  return found.map(toJob);
}

export interface StoredRowError {
  line: number;
  fields: string[];
  errors: RowError[];
}

export async function insertRowErrors(
  em: EntityManager,
  jobId: string,
  phase: 'validate' | 'post',
  errors: StoredRowError[],
): Promise<number> {
  if (errors.length === 0) return 0;
  const inserted = await rows(
    em,
    `INSERT INTO job_row_errors (job_id, row_number, phase, fields, errors)
     SELECT ?::uuid, (e->>'line')::bigint, ?, e->'fields', e->'errors'
     FROM json_array_elements(?::json) e
     ON CONFLICT (job_id, row_number) DO NOTHING RETURNING row_number`,
    [jobId, phase, JSON.stringify(errors)],
  );

  return inserted.length;
}

export async function deleteRowErrors(em: EntityManager, jobId: string) {
  await rows(em, `DELETE FROM job_row_errors WHERE job_id = ?`, [jobId]);
}

export async function firstRowErrors(
  em: EntityManager,
  jobId: string,
  limit: number,
): Promise<RowError[]> {
  const found = await rows<{ errors: RowError[] }>(
    em,
    `SELECT errors FROM job_row_errors WHERE job_id = ? ORDER BY row_number LIMIT ?`,
    [jobId, limit],
  );

  return found.flatMap((r) => r.errors);
}

/** Rejected rows in file order, a page at a time (keyset on the row number). */
export async function rowErrorsAfter(
  em: EntityManager,
  jobId: string,
  afterLine: number,
  limit: number,
): Promise<StoredRowError[]> {
  const found = await rows<{ row_number: string; fields: string[]; errors: RowError[] }>(
    em,
    `SELECT row_number, fields, errors FROM job_row_errors
     WHERE job_id = ? AND row_number > ? ORDER BY row_number LIMIT ?`,
    [jobId, afterLine, limit],
  );

  return found.map((r) => ({ line: Number(r.row_number), fields: r.fields, errors: r.errors }));
}

export async function erroredLines(em: EntityManager, jobId: string): Promise<Set<number>> {
  const found = await rows<{ row_number: string }>(
    em,
    `SELECT row_number FROM job_row_errors WHERE job_id = ?`,
    [jobId],
  );

  return new Set(found.map((r) => Number(r.row_number)));
}

/** Which of these identities an earlier job (or row) already posted. */
export async function knownIdentities(
  em: EntityManager,
  tenantId: string,
  profileId: string,
  identities: string[],
): Promise<Set<string>> {
  if (identities.length === 0) return new Set();
  const found = await rows<{ identity: string }>(
    em,
    `SELECT identity FROM row_identities
     WHERE tenant_id = ? AND profile_id = ? AND identity = ANY(?::text[])`,
    [tenantId, profileId, identities],
  );

  return new Set(found.map((r) => r.identity));
}

export interface PostedIdentity {
  identity: string;
  line: number;
  entryId: string;
}

/** Records posted rows; returns the identities this call inserted (others were there already). */
export async function insertIdentities(
  em: EntityManager,
  job: JobRecord,
  posted: PostedIdentity[],
): Promise<Set<string>> {
  if (posted.length === 0) return new Set();
  const inserted = await rows<{ identity: string }>(
    em,
    `INSERT INTO row_identities (tenant_id, profile_id, identity, job_id, row_number, entry_id)
     SELECT ?::uuid, ?::uuid, p->>'identity', ?::uuid, (p->>'line')::bigint, (p->>'entryId')::uuid
     FROM json_array_elements(?::json) p
     ON CONFLICT DO NOTHING RETURNING identity`,
    [job.tenantId, job.profileId, job.id, JSON.stringify(posted)],
  );

  return new Set(inserted.map((r) => r.identity));
}

/** Adds signed decimal amounts per currency to the job's posted totals (NUMERIC, exact). */
export async function addTotals(em: EntityManager, jobId: string, totals: Map<string, string>) {
  if (totals.size === 0) return;
  await rows(
    em,
    `INSERT INTO job_totals (job_id, currency, amount)
     SELECT ?::uuid, t->>'currency', (t->>'amount')::numeric FROM json_array_elements(?::json) t
     ON CONFLICT (job_id, currency) DO UPDATE SET amount = job_totals.amount + excluded.amount`,
    [jobId, JSON.stringify([...totals].map(([currency, amount]) => ({ currency, amount })))],
  );
}

export async function jobTotals(em: EntityManager, jobId: string) {
  return rows<{ currency: string; amount: string }>(
    em,
    `SELECT currency, amount::text AS amount FROM job_totals WHERE job_id = ? ORDER BY currency`,
    [jobId],
  );
}

/** Takes up to `limit` committing jobs whose lease ran out (crashed or never started). */
export async function claimJobs(
  em: EntityManager,
  owner: string,
  leaseMs: number,
  limit: number,
): Promise<JobRecord[]> {
  const claimed = await rows(
    em,
    `UPDATE jobs SET lease_owner = ?, lease_until = now() + (? * interval '1 millisecond')
     WHERE id IN (
       SELECT id FROM jobs
       WHERE state = 'COMMITTING' AND (lease_until IS NULL OR lease_until < now())
       ORDER BY updated_at LIMIT ? FOR UPDATE SKIP LOCKED)
     RETURNING *`,
    [owner, leaseMs, limit],
  );

  return claimed.map(toJob);
}

/** Extends the lease while the owner still holds it; false when it lost the job. */
export async function renewLease(
  em: EntityManager,
  jobId: string,
  owner: string,
  leaseMs: number,
): Promise<boolean> {
  const renewed = await rows(
    em,
    `UPDATE jobs SET lease_until = now() + (? * interval '1 millisecond')
     WHERE id = ? AND lease_owner = ? AND state = 'COMMITTING' RETURNING id`,
    [leaseMs, jobId, owner],
  );

  return renewed.length === 1;
}
