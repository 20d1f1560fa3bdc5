import { Module } from '@nestjs/common';
import { BalanceService } from '@kontor/contracts/ledger/v1/balance_service_pb';
import { mapDomainErrors } from '@kontor/grpc';
import { type LedgerFeature } from '../ledger-feature';
import { BalancesService } from './balances.service';
import { BalanceError } from './domain/balance.errors';
import { BALANCE_ERROR_STATUS } from './transport/balance-error.status';
import { BalancesGrpcController } from './transport/balances.grpc-controller';

// Reads only: balances, the customer ledger, listings and the trial balance are computed from
// what the posting engine (entries/) wrote, never stored here.
@Module({
  controllers: [BalancesGrpcController],
  providers: [BalancesService],
})
export class BalancesModule {}

export const BALANCES_FEATURE: LedgerFeature = {
  module: BalancesModule,
  services: [BalanceService],
  errors: [mapDomainErrors(BalanceError, BALANCE_ERROR_STATUS)],
  entities: [],
};
