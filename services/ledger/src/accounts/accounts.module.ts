import { Module } from '@nestjs/common';
import { AccountService } from '@kontor/contracts/ledger/v1/account_service_pb';
import { mapDomainErrors } from '@kontor/grpc';
import { type LedgerFeature } from '../ledger-feature';
import { AccountsService } from './accounts.service';
import { AccountError } from './domain/account.errors';
import { AccountEntity } from './persistence/account.entity';
import { ACCOUNT_ERROR_STATUS } from './transport/account-error.status';
import { AccountsGrpcController } from './transport/accounts.grpc-controller';

@Module({
  controllers: [AccountsGrpcController],
  providers: [AccountsService],
  exports: [AccountsService],
})
export class AccountsModule {}

export const ACCOUNTS_FEATURE: LedgerFeature = {
  module: AccountsModule,
  services: [AccountService],
  errors: [mapDomainErrors(AccountError, ACCOUNT_ERROR_STATUS)],
  entities: [AccountEntity],
};
