import { type DynamicModule, Module } from '@nestjs/common';
import { ServiceKitModule } from '@kontor/service-kit';
import { IMPORT_MIGRATIONS } from './database/migrations';
import { type ImportEnv } from './import.config';
import { ImportsModule } from './imports.module';

@Module({})
export class AppModule {
  static forRoot(env: ImportEnv): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ServiceKitModule.forRoot({
          service: 'import',
          env,
          entities: [],
          migrations: IMPORT_MIGRATIONS,
          topics: [],
          publishesEvents: false,
          replicatesApiKeys: true,
        }),
        ImportsModule.forRoot(env),
      ],
    };
  }
}
