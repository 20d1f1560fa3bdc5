import { type DynamicModule, Module } from '@nestjs/common';
import {
  DEALS_SETTLEMENTS_TOPIC,
  LEDGER_ENTRIES_TOPIC,
  LEDGER_LEDGERS_TOPIC,
} from '@kontor/events';
import { EVENT_CONSUMERS, ServiceKitModule } from '@kontor/service-kit';
import { REPORTING_ENTITIES } from './database/entities';
import { REPORTING_MIGRATIONS } from './database/migrations';
import { LedgerSummariesService } from './ledgers/ledger-summaries.service';
import { ledgerEventsConsumer } from './ledgers/transport/ledger-events.consumer';
import { LedgerSummariesGrpcController } from './ledgers/transport/ledger-summaries.grpc-controller';
import { ProfitSharingService } from './profit-sharing/profit-sharing.service';
import { ProfitSharingGrpcController } from './profit-sharing/transport/profit-sharing.grpc-controller';
import { settlementsConsumer } from './profit-sharing/transport/settlements.consumer';
import { ReadModelService } from './read-model/read-model.service';
import { entriesConsumer } from './read-model/transport/entries.consumer';
import { ReportsService } from './reports/reports.service';
import { ExportGrpcController } from './reports/transport/export.grpc-controller';
import { ReportsGrpcController } from './reports/transport/reports.grpc-controller';
import { type ReportingEnv } from './reporting.config';

@Module({})
export class AppModule {
  static forRoot(env: ReportingEnv): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ServiceKitModule.forRoot({
          service: 'reporting',
          env,
          entities: REPORTING_ENTITIES,
          migrations: REPORTING_MIGRATIONS,
          topics: [LEDGER_LEDGERS_TOPIC, LEDGER_ENTRIES_TOPIC, DEALS_SETTLEMENTS_TOPIC],
          publishesEvents: false,
          replicatesApiKeys: true,
        }),
      ],
      controllers: [
        LedgerSummariesGrpcController,
        ReportsGrpcController,
        ExportGrpcController,
        ProfitSharingGrpcController,
      ],
      providers: [
        LedgerSummariesService,
        ReadModelService,
        ReportsService,
        ReportsGrpcController,
        ProfitSharingService,
        {
          provide: EVENT_CONSUMERS,
          useFactory: (
            summaries: LedgerSummariesService,
            readModel: ReadModelService,
            profitSharing: ProfitSharingService,
          ) => [
            ledgerEventsConsumer(summaries, readModel),
            entriesConsumer(readModel),
            settlementsConsumer(profitSharing),
          ],
          inject: [LedgerSummariesService, ReadModelService, ProfitSharingService],
        },
      ],
    };
  }
}
