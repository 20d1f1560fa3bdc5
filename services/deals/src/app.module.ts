import { type DynamicModule, Module } from '@nestjs/common';
import { ServiceKitModule } from '@kontor/service-kit';
import { DEALS_MIGRATIONS } from './database/migrations';
import { type DealsEnv } from './deals.config';

// The service's API arrives with its own issue; until then it serves health and reflection and
// keeps its replica of API keys current so its first rpc is authenticated like every other.
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
          topics: [],
          publishesEvents: false,
          replicatesApiKeys: true,
        }),
      ],
    };
  }
}
