import { type INestMicroservice } from '@nestjs/common';
import { DealService } from '@kontor/contracts/deals/v1/deal_service_pb';
import { API_KEY_VERIFIER, createGrpcMicroservice } from '@kontor/grpc';
import { AppModule } from '../../src/app.module';
import { dealsEnvSchema } from '../../src/deals.config';
import { DEALS_ERROR_MAPPINGS } from '../../src/deals.errors';

export interface RunningDeals {
  address: string;
  app: INestMicroservice;
  stop(): Promise<void>;
}

/** The deals service in-process, assembled as main.ts does, listening on a free port. */
export async function runDealsForTest(rawEnv: Record<string, string>): Promise<RunningDeals> {
  const env = dealsEnvSchema.parse(rawEnv);
  const { app, server } = await createGrpcMicroservice(AppModule.forRoot(env), {
    address: `${env.GRPC_HOST}:${env.GRPC_PORT}`,
    services: [DealService],
    auth: { verifier: API_KEY_VERIFIER },
    errors: { domain: 'deals.kontor', mappings: DEALS_ERROR_MAPPINGS },
    shutdownGraceMs: 5_000,
    nest: { logger: ['error'] },
  });
  await app.listen();

  return { address: `${env.GRPC_HOST}:${server.boundPort}`, app, stop: () => app.close() };
}
