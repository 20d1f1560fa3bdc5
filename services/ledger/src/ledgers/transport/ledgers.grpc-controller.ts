import { Controller } from '@nestjs/common';
import {
  LedgerService,
  type CreateLedgerRequest,
  type GetLedgerRequest,
  type ListLedgersRequest,
} from '@kontor/contracts/ledger/v1/ledger_service_pb';
import { pageSize } from '@kontor/db';
import { requireUuid } from '@kontor/errors';
import { GrpcMethod, type TenantCallContext } from '@kontor/grpc';
import { LedgersService } from '../ledgers.service';
import { toLedgerMessage } from './ledger.proto-mapper';

@Controller()
export class LedgersGrpcController {
  constructor(private readonly ledgers: LedgersService) {}

  @GrpcMethod(LedgerService, 'createLedger')
  async createLedger(request: CreateLedgerRequest, ctx: TenantCallContext) {
    const { ledger, replayed } = await this.ledgers.create(ctx.caller.tenantId, request);

    return { ledger: toLedgerMessage(ledger), replayed };
  }

  @GrpcMethod(LedgerService, 'getLedger')
  async getLedger(request: GetLedgerRequest, ctx: TenantCallContext) {
    const ledgerId = requireUuid('ledger_id', request.ledgerId);
    const ledger = await this.ledgers.get(ctx.caller.tenantId, ledgerId);

    return { ledger: toLedgerMessage(ledger) };
  }

  @GrpcMethod(LedgerService, 'listLedgers')
  async listLedgers(request: ListLedgersRequest, ctx: TenantCallContext) {
    const size = pageSize(request.pageSize);
    const page = await this.ledgers.list(ctx.caller.tenantId, size, request.pageToken);

    return { ledgers: page.ledgers.map(toLedgerMessage), nextPageToken: page.nextPageToken };
  }
}
