import { Controller } from '@nestjs/common';
import { timestampFromDate } from '@bufbuild/protobuf/wkt';
import {
  ReportingService,
  type ListLedgersRequest,
} from '@kontor/contracts/reporting/v1/reporting_service_pb';
import { pageSize } from '@kontor/db';
import { GrpcMethod, type TenantCallContext } from '@kontor/grpc';
import { ReadModelService } from '../../read-model/read-model.service';
import { LedgerSummariesService } from '../ledger-summaries.service';

@Controller()
export class LedgerSummariesGrpcController {
  constructor(
    private readonly summaries: LedgerSummariesService,
    private readonly readModel: ReadModelService,
  ) {}

  @GrpcMethod(ReportingService, 'listLedgers')
  async listLedgers(request: ListLedgersRequest, ctx: TenantCallContext) {
    const size = pageSize(request.pageSize);
    const page = await this.summaries.list(ctx.caller.tenantId, size, request.pageToken);
    const sequences = await this.readModel.currentSequences(
      page.ledgers.map((ledger) => ledger.id),
    );

    return {
      ledgers: page.ledgers.map((ledger) => ({
        ledgerId: ledger.id,
        name: ledger.name,
        baseCurrency: ledger.baseCurrency,
        createTime: timestampFromDate(ledger.createdAt),
        currentSequence: sequences.get(ledger.id) ?? 0n,
      })),
      nextPageToken: page.nextPageToken,
    };
  }
}
