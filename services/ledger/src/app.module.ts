import { type DynamicModule, Module } from '@nestjs/common';
import { LEDGER_LEDGERS_TOPIC, LEDGER_TENANTS_TOPIC } from '@kontor/events';
import { ServiceKitModule } from '@kontor/service-kit';
import { LEDGER_MIGRATIONS } from './database/migrations';
import { LEDGER_ENTITIES } from './database/entities';
import { type LedgerEnv } from './ledger.config';
import { LedgersService } from './ledgers/ledgers.service';
import { LedgersGrpcController } from './ledgers/transport/ledgers.grpc-controller';
import { TenantsService } from './tenants/tenants.service';
import { TenantsGrpcController } from './tenants/transport/tenants.grpc-controller';

@Module({})
export class AppModule {
  static forRoot(env: LedgerEnv): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ServiceKitModule.forRoot({
          service: 'ledger',
          env,
          entities: LEDGER_ENTITIES,
          migrations: LEDGER_MIGRATIONS,
          topics: [LEDGER_LEDGERS_TOPIC, LEDGER_TENANTS_TOPIC],
          publishesEvents: true,
          // The ledger owns the keys: it verifies against its own table, no replica.
          replicatesApiKeys: false,
        }),
      ],
      controllers: [TenantsGrpcController, LedgersGrpcController],
      providers: [TenantsService, LedgersService],
    };
  }
}
