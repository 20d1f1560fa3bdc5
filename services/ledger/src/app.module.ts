import { type DynamicModule, Module } from '@nestjs/common';
import {
  DEALS_SETTLEMENTS_TOPIC,
  LEDGER_ENTRIES_TOPIC,
  LEDGER_LEDGERS_TOPIC,
  LEDGER_TENANTS_TOPIC,
} from '@kontor/events';
import { CONSUMED_TOPICS } from './posting-rules/posting-rules.topics';
import { ServiceKitModule } from '@kontor/service-kit';
import { LEDGER_MIGRATIONS } from './database/migrations';
import { LEDGER_ENTITIES, LEDGER_FEATURES } from './features';
import { type LedgerEnv } from './ledger.config';

@Module({})
export class AppModule {
  static forRoot(env: LedgerEnv): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ServiceKitModule.forRoot({
          service: 'ledger',
          env,
          entities: [...LEDGER_ENTITIES],
          migrations: LEDGER_MIGRATIONS,
          topics: [
            LEDGER_LEDGERS_TOPIC,
            LEDGER_TENANTS_TOPIC,
            LEDGER_ENTRIES_TOPIC,
            ...CONSUMED_TOPICS,
            DEALS_SETTLEMENTS_TOPIC,
          ],
          publishesEvents: true,
          // The ledger owns the keys: it verifies against its own table, no replica.
          replicatesApiKeys: false,
        }),
        ...LEDGER_FEATURES.map((feature) => feature.module),
      ],
    };
  }
}
