import { Controller } from '@nestjs/common';
import {
  EntryService,
  type GetEntryRequest,
  type PostEntriesRequest,
  type PostEntryRequest,
  type ReverseEntryRequest,
} from '@kontor/contracts/ledger/v1/entry_service_pb';
import { requireUuid } from '@kontor/errors';
import { GrpcMethod, type TenantCallContext } from '@kontor/grpc';
import { PostingService, type PostResult } from '../posting.service';
import { ENTRY_ERROR_STATUS } from './entry-error.status';
import { fromEntryInput, toEntryInit } from './entry.proto-mapper';

const postedBy = (ctx: TenantCallContext) => `api-key:${ctx.caller.keyId}`;

function toResult(result: PostResult) {
  if (result.ok) return { entry: toEntryInit(result.entry), replayed: result.replayed };
  const { error } = result;

  return {
    rejection: {
      code: ENTRY_ERROR_STATUS[error.code],
      message: error.message,
      reason: error.reason,
      fieldViolations: error.fieldViolations.map((v) => ({ ...v })),
    },
  };
}

@Controller()
export class EntriesGrpcController {
  constructor(private readonly posting: PostingService) {}

  @GrpcMethod(EntryService, 'postEntry')
  async postEntry(request: PostEntryRequest, ctx: TenantCallContext) {
    const { entry, replayed } = await this.posting.postOne(
      ctx.caller.tenantId,
      fromEntryInput(request.entry),
      { postedBy: postedBy(ctx) },
    );

    return { entry: toEntryInit(entry), replayed };
  }

  @GrpcMethod(EntryService, 'postEntries')
  async postEntries(request: PostEntriesRequest, ctx: TenantCallContext) {
    const results = await this.posting.post(
      ctx.caller.tenantId,
      request.entries.map(fromEntryInput),
      { postedBy: postedBy(ctx) },
    );

    return { results: results.map(toResult) };
  }

  @GrpcMethod(EntryService, 'reverseEntry')
  async reverseEntry(request: ReverseEntryRequest, ctx: TenantCallContext) {
    const ledgerId = requireUuid('ledger_id', request.ledgerId);
    const entryId = requireUuid('entry_id', request.entryId);
    const { entry, replayed } = await this.posting.reverse(
      ctx.caller.tenantId,
      {
        ledgerId,
        entryId,
        idempotencyKey: request.idempotencyKey,
        entryDate: request.entryDate,
        description: request.description,
      },
      postedBy(ctx),
    );

    return { entry: toEntryInit(entry), replayed };
  }

  @GrpcMethod(EntryService, 'getEntry')
  async getEntry(request: GetEntryRequest, ctx: TenantCallContext) {
    const ledgerId = requireUuid('ledger_id', request.ledgerId);
    const entryId = requireUuid('entry_id', request.entryId);
    const entry = await this.posting.get(ctx.caller.tenantId, ledgerId, entryId);

    return { entry: toEntryInit(entry) };
  }
}
