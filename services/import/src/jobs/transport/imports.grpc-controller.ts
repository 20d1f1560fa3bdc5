import { Controller } from '@nestjs/common';
import {
  ImportService,
  type CancelJobRequest,
  type CommitJobRequest,
  type CreateJobRequest,
  type CreateProfileRequest,
  type DownloadRejectedRowsRequest,
  type GetJobReportRequest,
  type GetProfileRequest,
  type ListProfilesRequest,
  type UpdateProfileRequest,
  type UploadFileRequest,
  type ValidateJobRequest,
  type WatchJobRequest,
} from '@kontor/contracts/imports/v1/import_service_pb';
import { InvalidArgumentError, requireUuid } from '@kontor/errors';
import { GrpcMethod, type TenantCallContext } from '@kontor/grpc';
import { ProfilesService } from '../../profiles/profiles.service';
import { fromProtoDefinition, toProtoProfile } from '../../profiles/transport/profile.proto-mapper';
import { JobsService } from '../jobs.service';
import { FINAL_STATES } from '../persistence/job.repository';
import { MAX_CHUNK_BYTES } from '../upload-limits';
import {
  fromProtoPolicy,
  toProgress,
  toProtoJob,
  toProtoRowError,
  toWouldBeEntry,
} from './job.proto-mapper';

const WATCH_POLL_MS = 300;

function limit(field: string, value: number, fallback = 100): number {
  if (value < 0 || value > 1000) throw new InvalidArgumentError(field, 'must be 0-1000');

  return value === 0 ? fallback : value;
}

const pause = (ms: number, signal: AbortSignal) =>
  new Promise<void>((resolve) => {
    const onAbort = () => (clearTimeout(timer), resolve());
    const timer = setTimeout(() => (signal.removeEventListener('abort', onAbort), resolve()), ms);
    signal.addEventListener('abort', onAbort, { once: true });
  });

/** The first message names the job; every message carries the next bytes. */
async function* bytesOf(first: UploadFileRequest, rest: AsyncIterator<UploadFileRequest>) {
  for (let next: UploadFileRequest | undefined = first; next;) {
    if (next.chunk.length > MAX_CHUNK_BYTES) {
      throw new InvalidArgumentError(
        'chunk',
        `is ${next.chunk.length} bytes; send the file in chunks of at most ${MAX_CHUNK_BYTES} bytes (4 MiB)`,
      );
    }
    yield next.chunk;
    const step = await rest.next();
    next = step.done ? undefined : step.value;
  }
}

@Controller()
export class ImportsGrpcController {
  constructor(
    private readonly profiles: ProfilesService,
    private readonly jobs: JobsService,
  ) {}

  @GrpcMethod(ImportService, 'createProfile')
  async createProfile(req: CreateProfileRequest, ctx: TenantCallContext) {
    const definition = fromProtoDefinition(req.definition);
    const profile = await this.profiles.create(
      ctx.caller.tenantId,
      req.requestId,
      req.name,
      definition,
    );

    return { profile: toProtoProfile(profile) };
  }

  @GrpcMethod(ImportService, 'updateProfile')
  async updateProfile(req: UpdateProfileRequest, ctx: TenantCallContext) {
    const id = requireUuid('profile_id', req.profileId);
    const definition = fromProtoDefinition(req.definition);
    const profile = await this.profiles.update(
      ctx.caller.tenantId,
      id,
      req.expectedVersion,
      req.name,
      definition,
    );

    return { profile: toProtoProfile(profile) };
  }

  @GrpcMethod(ImportService, 'getProfile')
  async getProfile(req: GetProfileRequest, ctx: TenantCallContext) {
    const id = requireUuid('profile_id', req.profileId);

    return {
      profile: toProtoProfile(await this.profiles.get(ctx.caller.tenantId, id, req.version)),
    };
  }

  @GrpcMethod(ImportService, 'listProfiles')
  async listProfiles(req: ListProfilesRequest, ctx: TenantCallContext) {
    const profiles = await this.profiles.list(
      ctx.caller.tenantId,
      limit('page_size', req.pageSize),
    );

    return { profiles: profiles.map(toProtoProfile) };
  }

  @GrpcMethod(ImportService, 'createJob')
  async createJob(req: CreateJobRequest, ctx: TenantCallContext) {
    return { job: toProtoJob(await this.jobs.create(ctx.caller.tenantId, req)) };
  }

  @GrpcMethod(ImportService, 'uploadFile')
  async uploadFile(requests: AsyncIterable<UploadFileRequest>, ctx: TenantCallContext) {
    const iterator = requests[Symbol.asyncIterator]();
    const first = await iterator.next();
    if (first.done)
      throw new InvalidArgumentError('job_id', 'send at least one message naming the job');
    const view = await this.jobs.upload(
      ctx.caller.tenantId,
      first.value.jobId,
      bytesOf(first.value, iterator),
    );

    return { job: toProtoJob(view) };
  }

  @GrpcMethod(ImportService, 'validateJob')
  async validateJob(req: ValidateJobRequest, ctx: TenantCallContext) {
    const previewLimit = limit('preview_limit', req.previewLimit);
    const { view, result } = await this.jobs.validate(ctx.caller.tenantId, req.jobId, previewLimit);

    return {
      job: toProtoJob(view),
      errors: result.errors.map(toProtoRowError),
      entries: result.entries.map((e) => toWouldBeEntry(e.row)),
    };
  }

  @GrpcMethod(ImportService, 'commitJob')
  async commitJob(req: CommitJobRequest, ctx: TenantCallContext) {
    const view = await this.jobs.commit(
      ctx.caller.tenantId,
      req.jobId,
      fromProtoPolicy(req.policy),
    );

    return { job: toProtoJob(view) };
  }

  @GrpcMethod(ImportService, 'cancelJob')
  async cancelJob(req: CancelJobRequest, ctx: TenantCallContext) {
    return { job: toProtoJob(await this.jobs.cancel(ctx.caller.tenantId, req.jobId)) };
  }

  @GrpcMethod(ImportService, 'watchJob')
  async *watchJob(req: WatchJobRequest, ctx: TenantCallContext) {
    let lastUpdate = -1;
    while (!ctx.signal.aborted) {
      const job = await this.jobs.get(ctx.caller.tenantId, req.jobId);
      if (job.updatedAt.getTime() !== lastUpdate) {
        lastUpdate = job.updatedAt.getTime();
        yield toProgress(await this.jobs.view(job));
      }
      if (FINAL_STATES.includes(job.state)) return;
      await pause(WATCH_POLL_MS, ctx.signal);
    }
  }

  @GrpcMethod(ImportService, 'getJobReport')
  async getJobReport(req: GetJobReportRequest, ctx: TenantCallContext) {
    const { view, errors } = await this.jobs.report(
      ctx.caller.tenantId,
      req.jobId,
      limit('error_limit', req.errorLimit),
    );

    return { job: toProtoJob(view), errors: errors.map(toProtoRowError) };
  }

  @GrpcMethod(ImportService, 'downloadRejectedRows')
  async *downloadRejectedRows(req: DownloadRejectedRowsRequest, ctx: TenantCallContext) {
    for await (const chunk of this.jobs.rejectedRows(ctx.caller.tenantId, req.jobId)) {
      yield { chunk };
    }
  }
}
