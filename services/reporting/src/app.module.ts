import { type DynamicModule, Module } from '@nestjs/common';
import { LEDGER_LEDGERS_TOPIC } from '@kontor/events';
import { EVENT_CONSUMERS, ServiceKitModule } from '@kontor/service-kit';
import { REPORTING_ENTITIES } from './database/entities';
import { REPORTING_MIGRATIONS } from './database/migrations';
import { LedgerSummariesService } from './ledgers/ledger-summaries.service';
import { ledgerEventsConsumer } from './ledgers/transport/ledger-events.consumer';
import { LedgerSummariesGrpcController } from './ledgers/transport/ledger-summaries.grpc-controller';
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
          topics: [LEDGER_LEDGERS_TOPIC],
          publishesEvents: false,
          replicatesApiKeys: true,
        }),
      ],
      controllers: [LedgerSummariesGrpcController],
      providers: [
        LedgerSummariesService,
        {
          provide: EVENT_CONSUMERS,
          useFactory: (summaries: LedgerSummariesService) => [ledgerEventsConsumer(summaries)],
          inject: [LedgerSummariesService],
        },
      ],
    };
  }
}
