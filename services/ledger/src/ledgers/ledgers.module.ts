import { Module } from '@nestjs/common';
import { LedgerService } from '@kontor/contracts/ledger/v1/ledger_service_pb';
import { mapDomainErrors } from '@kontor/grpc';
import { type LedgerFeature } from '../ledger-feature';
import { LedgerError } from './domain/ledger.errors';
import { LedgersService } from './ledgers.service';
import { LedgerEntity } from './persistence/ledger.entity';
import { LEDGER_ERROR_STATUS } from './transport/ledger-error.status';
import { LedgersGrpcController } from './transport/ledgers.grpc-controller';

@Module({
  controllers: [LedgersGrpcController],
  providers: [LedgersService],
  exports: [LedgersService],
})
export class LedgersModule {}

export const LEDGERS_FEATURE: LedgerFeature = {
  module: LedgersModule,
  services: [LedgerService],
  errors: [mapDomainErrors(LedgerError, LEDGER_ERROR_STATUS)],
  entities: [LedgerEntity],
};
