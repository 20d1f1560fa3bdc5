import { Module } from '@nestjs/common';
import { PeriodService } from '@kontor/contracts/ledger/v1/period_service_pb';
import { mapDomainErrors } from '@kontor/grpc';
import { type LedgerFeature } from '../ledger-feature';
import { PeriodError } from './domain/period.errors';
import { PeriodsService } from './periods.service';
import { PERIOD_ERROR_STATUS } from './transport/period-error.status';
import { PeriodsGrpcController } from './transport/periods.grpc-controller';

@Module({
  controllers: [PeriodsGrpcController],
  providers: [PeriodsService],
  exports: [PeriodsService],
})
export class PeriodsModule {}

export const PERIODS_FEATURE: LedgerFeature = {
  module: PeriodsModule,
  services: [PeriodService],
  // Fiscal years, months and journals are plain SQL (persistence/period.rows.ts): no entities.
  errors: [mapDomainErrors(PeriodError, PERIOD_ERROR_STATUS)],
  entities: [],
};
