import { Controller } from '@nestjs/common';
import {
  AccountService,
  type CreateAccountRequest,
  type GetAccountRequest,
  type ListAccountsRequest,
} from '@kontor/contracts/ledger/v1/account_service_pb';
import { requireUuid } from '@kontor/errors';
import { GrpcMethod, type TenantCallContext } from '@kontor/grpc';
import { AccountsService } from '../accounts.service';
import {
  limitFromProto,
  roleFromProto,
  toAccountMessage,
  typeFromProto,
} from './account.proto-mapper';

@Controller()
export class AccountsGrpcController {
  constructor(private readonly accounts: AccountsService) {}

  @GrpcMethod(AccountService, 'createAccount')
  async createAccount(request: CreateAccountRequest, ctx: TenantCallContext) {
    const ledgerId = requireUuid('ledger_id', request.ledgerId);
    const account = await this.accounts.create(ctx.caller.tenantId, ledgerId, {
      code: request.code,
      name: request.name,
      type: typeFromProto(request.type),
      role: roleFromProto(request.role),
      balanceLimit: limitFromProto(request.balanceLimit),
    });

    return { account: toAccountMessage(account) };
  }

  @GrpcMethod(AccountService, 'getAccount')
  async getAccount(request: GetAccountRequest, ctx: TenantCallContext) {
    const ledgerId = requireUuid('ledger_id', request.ledgerId);
    const account = await this.accounts.get(ctx.caller.tenantId, ledgerId, request.code);

    return { account: toAccountMessage(account) };
  }

  @GrpcMethod(AccountService, 'listAccounts')
  async listAccounts(request: ListAccountsRequest, ctx: TenantCallContext) {
    const ledgerId = requireUuid('ledger_id', request.ledgerId);
    const accounts = await this.accounts.list(ctx.caller.tenantId, ledgerId);

    return { accounts: accounts.map(toAccountMessage) };
  }
}
