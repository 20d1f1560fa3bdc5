import { type MessageInitShape } from '@bufbuild/protobuf';
import {
  ErrorPolicy,
  type ProfileDefinitionSchema,
} from '@kontor/contracts/imports/v1/import_profile_pb';
import { ImportService, JobState, type Job } from '@kontor/contracts/imports/v1/import_service_pb';
import { type GrpcClient } from '@kontor/grpc';
import { type ImportPlatform, type TestTenant } from './import-platform';

export type Imports = GrpcClient<(typeof ImportService)['method']>;
export type Definition = MessageInitShape<typeof ProfileDefinitionSchema>;

const FINAL = [JobState.COMPLETED, JobState.REJECTED, JobState.CANCELLED, JobState.FAILED];

export function importsOf(platform: ImportPlatform, tenant: TestTenant): Imports {
  return platform.client(ImportService, tenant.token);
}

let counter = 0;
const unique = (prefix: string) => `${prefix}-${Date.now()}-${(counter += 1)}`;

export async function createProfile(imports: Imports, definition: Definition) {
  const { profile } = await imports.createProfile({
    requestId: unique('profile'),
    name: unique('Profile'),
    definition,
  });

  return profile!;
}

/** Uploads bytes in chunks of `chunkBytes` as a new job of the profile. */
export async function uploadJob(
  imports: Imports,
  profileId: string,
  bytes: Buffer,
  chunkBytes = 64 * 1024,
): Promise<Job> {
  const { job } = await imports.createJob({
    requestId: unique('job'),
    profileId,
    fileName: 'statement.csv',
  });
  const messages = function* () {
    yield { jobId: job!.id, chunk: bytes.subarray(0, chunkBytes) };
    for (let i = chunkBytes; i < bytes.length; i += chunkBytes) {
      yield { chunk: bytes.subarray(i, i + chunkBytes) };
    }
  };
  const uploaded = await imports.uploadFile(messages());

  return uploaded.job!;
}

/** Watches the job until it ends; returns the last progress update. */
export async function untilDone(imports: Imports, jobId: string): Promise<Job> {
  let last: Job | undefined;
  for await (const update of imports.watchJob({ jobId }, { deadlineMs: 300_000 })) {
    last = update.job;
  }
  if (!last || !FINAL.includes(last.state))
    throw new Error(`watch ended before the job: ${last?.state}`);

  return last;
}

/** Upload, commit with the policy, wait for the end. */
export async function importFile(
  imports: Imports,
  profileId: string,
  bytes: Buffer | string,
  policy = ErrorPolicy.POST_VALID_ROWS,
): Promise<Job> {
  const job = await uploadJob(
    imports,
    profileId,
    typeof bytes === 'string' ? Buffer.from(bytes) : bytes,
  );
  await imports.commitJob({ jobId: job.id, policy });

  return untilDone(imports, job.id);
}

export const counts = (job: Job) => ({
  read: Number(job.counts!.rowsRead),
  valid: Number(job.counts!.rowsValid),
  invalid: Number(job.counts!.rowsInvalid),
  posted: Number(job.counts!.rowsPosted),
  duplicate: Number(job.counts!.rowsDuplicate),
});
