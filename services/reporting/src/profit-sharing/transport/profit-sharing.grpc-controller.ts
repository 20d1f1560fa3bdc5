import { Controller } from '@nestjs/common';
import {
  ReportingService,
  type GetProfitSharingReportRequest,
} from '@kontor/contracts/reporting/v1/reporting_service_pb';
import { GrpcMethod, type TenantCallContext } from '@kontor/grpc';
import { ProfitSharingService } from '../profit-sharing.service';

/** "2026-12-04T16:19:40.123456Z" → a protobuf Timestamp (microseconds kept). */
export function timestampOf(iso: string): { seconds: bigint; nanos: number } {
  const seconds = BigInt(Date.parse(`${iso.slice(0, 19)}Z`) / 1000);
  const fraction = /\.(\d+)Z$/.exec(iso)?.[1] ?? '';

  return { seconds, nanos: Number(fraction.padEnd(9, '0').slice(0, 9)) };
}

// Waiting for min_settlement_id ends a little before the caller's deadline, to answer in time.
const waitMs = (ctx: TenantCallContext) => Math.max(0, ctx.remainingMs() - 100);

/** GetProfitSharingReport of `kontor.reporting.v1.ReportingService`. */
@Controller()
export class ProfitSharingGrpcController {
  constructor(private readonly profitSharing: ProfitSharingService) {}

  @GrpcMethod(ReportingService, 'getProfitSharingReport')
  async getProfitSharingReport(request: GetProfitSharingReportRequest, ctx: TenantCallContext) {
    const report = await this.profitSharing.report(ctx.caller.tenantId, request, waitMs(ctx));

    return {
      rows: report.rows.map((row) => ({ ...row, finalizeTime: timestampOf(row.finalizeTime) })),
      totals: report.totals,
      freshness: {
        settlementCount: report.settlementCount,
        lastFinalizeTime:
          report.lastFinalizeTime === null ? undefined : timestampOf(report.lastFinalizeTime),
      },
    };
  }
}
