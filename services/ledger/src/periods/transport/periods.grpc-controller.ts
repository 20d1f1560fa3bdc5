import { Controller } from '@nestjs/common';
import {
  PeriodService,
  type CloseMonthRequest,
  type CreateFiscalYearRequest,
  type CreateJournalRequest,
  type ListFiscalYearsRequest,
  type ListJournalsRequest,
  type ReopenMonthRequest,
} from '@kontor/contracts/ledger/v1/period_service_pb';
import { requireUuid } from '@kontor/errors';
import { GrpcMethod, type TenantCallContext } from '@kontor/grpc';
import { requireMonth, requireReason } from '../domain/fiscal-year';
import { PeriodsService } from '../periods.service';
import {
  toFiscalYearMessage,
  toJournalMessage,
  toMonthMessage,
  toTurnoverMessage,
} from './period.proto-mapper';

@Controller()
export class PeriodsGrpcController {
  constructor(private readonly periods: PeriodsService) {}

  @GrpcMethod(PeriodService, 'createFiscalYear')
  async createFiscalYear(request: CreateFiscalYearRequest, ctx: TenantCallContext) {
    const ledgerId = requireUuid('ledger_id', request.ledgerId);
    const created = await this.periods.createFiscalYear(ctx.caller.tenantId, ledgerId, {
      name: request.name,
      startMonth: request.startMonth,
      monthCount: request.monthCount,
      journals: request.journals.map(({ symbol, name }) => ({ symbol, name })),
    });

    return {
      fiscalYear: toFiscalYearMessage(created.fiscalYear),
      journals: created.journals.map(toJournalMessage),
    };
  }

  @GrpcMethod(PeriodService, 'listFiscalYears')
  async listFiscalYears(request: ListFiscalYearsRequest, ctx: TenantCallContext) {
    const ledgerId = requireUuid('ledger_id', request.ledgerId);
    const years = await this.periods.listFiscalYears(ctx.caller.tenantId, ledgerId);

    return { fiscalYears: years.map(toFiscalYearMessage) };
  }

  @GrpcMethod(PeriodService, 'closeMonth')
  async closeMonth(request: CloseMonthRequest, ctx: TenantCallContext) {
    const ledgerId = requireUuid('ledger_id', request.ledgerId);
    const month = requireMonth(request.month);
    const closed = await this.periods.closeMonth(
      ctx.caller.tenantId,
      ledgerId,
      month,
      actorOf(ctx),
    );

    return {
      month: toMonthMessage(closed.month),
      turnovers: closed.turnovers.map(toTurnoverMessage),
    };
  }

  @GrpcMethod(PeriodService, 'reopenMonth')
  async reopenMonth(request: ReopenMonthRequest, ctx: TenantCallContext) {
    const ledgerId = requireUuid('ledger_id', request.ledgerId);
    const month = requireMonth(request.month);
    const reason = requireReason(request.reason);
    const reopened = await this.periods.reopenMonth(
      ctx.caller.tenantId,
      ledgerId,
      month,
      reason,
      actorOf(ctx),
    );

    return { month: toMonthMessage(reopened) };
  }

  @GrpcMethod(PeriodService, 'createJournal')
  async createJournal(request: CreateJournalRequest, ctx: TenantCallContext) {
    const fiscalYearId = requireUuid('fiscal_year_id', request.fiscalYearId);
    const journal = await this.periods.createJournal(ctx.caller.tenantId, fiscalYearId, {
      symbol: request.symbol,
      name: request.name,
    });

    return { journal: toJournalMessage(journal) };
  }

  @GrpcMethod(PeriodService, 'listJournals')
  async listJournals(request: ListJournalsRequest, ctx: TenantCallContext) {
    const fiscalYearId = requireUuid('fiscal_year_id', request.fiscalYearId);
    const journals = await this.periods.listJournals(ctx.caller.tenantId, fiscalYearId);

    return { journals: journals.map(toJournalMessage) };
  }
}

/** Who changed a period, for the audit trail. */
function actorOf(ctx: TenantCallContext): string {
  return `api-key:${ctx.caller.keyId}`;
}
