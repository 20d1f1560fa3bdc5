import { Controller } from '@nestjs/common';
import {
  PostingRuleService,
  type GetPostingRulesRequest,
  type PostingRules as PostingRulesMessage,
  type SetPostingRulesRequest,
} from '@kontor/contracts/ledger/v1/posting_rule_service_pb';
import { requireUuid } from '@kontor/errors';
import { GrpcMethod, type TenantCallContext } from '@kontor/grpc';
import { type PostingRules, type PostingRulesChange } from '../domain/posting-rules';
import { PostingRulesService } from '../posting-rules.service';

@Controller()
export class PostingRulesGrpcController {
  constructor(private readonly rules: PostingRulesService) {}

  @GrpcMethod(PostingRuleService, 'getPostingRules')
  async getPostingRules(request: GetPostingRulesRequest, ctx: TenantCallContext) {
    const ledgerId = requireUuid('ledger_id', request.ledgerId);

    return { rules: toMessage(ledgerId, await this.rules.get(ctx.caller.tenantId, ledgerId)) };
  }

  @GrpcMethod(PostingRuleService, 'setPostingRules')
  async setPostingRules(request: SetPostingRulesRequest, ctx: TenantCallContext) {
    const ledgerId = requireUuid('rules.ledger_id', request.rules?.ledgerId ?? '');
    const rules = await this.rules.set(
      ctx.caller.tenantId,
      ledgerId,
      fromMessage(request.rules),
      `api-key:${ctx.caller.keyId}`,
    );

    return { rules: toMessage(ledgerId, rules) };
  }
}

function fromMessage(message: PostingRulesMessage | undefined): PostingRulesChange {
  return {
    accounts: {
      clearing: message?.clearingAccount,
      receivable: message?.receivableAccount,
      revenue: message?.revenueAccount,
      tax: message?.taxAccount,
      marketplaceFees: message?.marketplaceFeeAccount,
      chargebackFees: message?.chargebackFeeAccount,
    },
    journals: { payments: message?.paymentsJournal, sales: message?.salesJournal },
  };
}

function toMessage(ledgerId: string, rules: PostingRules) {
  return {
    ledgerId,
    clearingAccount: rules.accounts.clearing,
    receivableAccount: rules.accounts.receivable,
    revenueAccount: rules.accounts.revenue,
    taxAccount: rules.accounts.tax,
    marketplaceFeeAccount: rules.accounts.marketplaceFees,
    chargebackFeeAccount: rules.accounts.chargebackFees,
    paymentsJournal: rules.journals.payments,
    salesJournal: rules.journals.sales,
  };
}
