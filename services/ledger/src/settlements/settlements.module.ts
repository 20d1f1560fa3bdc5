import { Module } from '@nestjs/common';
import { DEALS_SETTLEMENTS_TOPIC } from '@kontor/events';
import { consumeTopic, EVENT_CONSUMERS } from '@kontor/service-kit';
import { EntriesModule } from '../entries/entries.module';
import { type LedgerFeature } from '../ledger-feature';
import { SettlementPostingService } from './settlement-posting.service';

/** Finalized deal settlements → payable/receivable entries in the parties' primary ledgers. */
@Module({
  imports: [EntriesModule],
  providers: [
    SettlementPostingService,
    {
      provide: EVENT_CONSUMERS,
      useFactory: (posting: SettlementPostingService) => [
        consumeTopic(DEALS_SETTLEMENTS_TOPIC, (event, em) => posting.apply(event, em)),
      ],
      inject: [SettlementPostingService],
    },
  ],
})
export class SettlementsModule {}

export const SETTLEMENTS_FEATURE: LedgerFeature = {
  module: SettlementsModule,
  services: [],
  errors: [],
  entities: [],
};
