import { type DynamicModule, Module } from '@nestjs/common';
import {
  DEALS_SETTLEMENTS_TOPIC,
  LEDGER_ENTRIES_TOPIC,
  LEDGER_LEDGERS_TOPIC,
} from '@kontor/events';
import { EVENT_CONSUMERS, ServiceKitModule } from '@kontor/service-kit';
import { DEALS_MIGRATIONS } from './database/migrations';
import { type DealsEnv } from './deals.config';
import { scopeConsumers } from './scope/scope.consumers';
import { SettlementsModule } from './settlements/settlements.module';

@Module({})
export class AppModule {
  static forRoot(env: DealsEnv): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ServiceKitModule.forRoot({
          service: 'deals',
          env,
          entities: [],
          migrations: DEALS_MIGRATIONS,
          topics: [LEDGER_ENTRIES_TOPIC, LEDGER_LEDGERS_TOPIC, DEALS_SETTLEMENTS_TOPIC],
          publishesEvents: true,
          replicatesApiKeys: true,
        }),
        SettlementsModule,
      ],
      providers: [{ provide: EVENT_CONSUMERS, useFactory: scopeConsumers }],
    };
  }
}
