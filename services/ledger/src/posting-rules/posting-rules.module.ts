import { Module } from '@nestjs/common';
import { OperationsService } from '@kontor/contracts/ledger/v1/operations_service_pb';
import { PostingRuleService } from '@kontor/contracts/ledger/v1/posting_rule_service_pb';
import { BILLING_INVOICES_TOPIC, PAYMENTS_EVENTS_TOPIC } from '@kontor/events';
import { mapDomainErrors } from '@kontor/grpc';
import { consumeTopic, EVENT_CONSUMERS } from '@kontor/service-kit';
import { EntriesModule } from '../entries/entries.module';
import { type LedgerFeature } from '../ledger-feature';
import { AutomaticPostingService } from './automatic-posting.service';
import { PostingRulesError } from './domain/posting-rules.errors';
import { OperationsGrpcController } from './transport/operations.grpc-controller';
import { POSTING_RULES_ERROR_STATUS } from './transport/posting-rules-error.status';
import { PostingRulesService } from './posting-rules.service';
import { PostingRulesGrpcController } from './transport/posting-rules.grpc-controller';

@Module({
  imports: [EntriesModule],
  controllers: [OperationsGrpcController, PostingRulesGrpcController],
  providers: [
    AutomaticPostingService,
    PostingRulesService,
    {
      provide: EVENT_CONSUMERS,
      useFactory: (automatic: AutomaticPostingService) => [
        consumeTopic(
          PAYMENTS_EVENTS_TOPIC,
          (event, em) => automatic.apply(event, em),
          (events, em) => automatic.applyGroup(events, em),
        ),
        consumeTopic(
          BILLING_INVOICES_TOPIC,
          (event, em) => automatic.apply(event, em),
          (events, em) => automatic.applyGroup(events, em),
        ),
      ],
      inject: [AutomaticPostingService],
    },
  ],
})
export class PostingRulesModule {}

export const POSTING_RULES_FEATURE: LedgerFeature = {
  module: PostingRulesModule,
  services: [OperationsService, PostingRuleService],
  errors: [mapDomainErrors(PostingRulesError, POSTING_RULES_ERROR_STATUS)],
  entities: [],
};
