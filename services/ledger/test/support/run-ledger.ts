import { type INestMicroservice } from '@nestjs/common';
import { API_KEY_VERIFIER, createGrpcMicroservice } from '@kontor/grpc';
import { AppModule } from '../../src/app.module';
import { LEDGER_FEATURES } from '../../src/features';
import { ledgerEnvSchema } from '../../src/ledger.config';

export interface RunningLedger {
  address: string;
  app: INestMicroservice;
  stop(): Promise<void>;
}

/** One ledger service instance, assembled exactly as main.ts does, listening on a free port. */
export async function runLedgerForTest(rawEnv: Record<string, string>): Promise<RunningLedger> {
  const env = ledgerEnvSchema.parse(rawEnv);
  const { app, server } = await createGrpcMicroservice(AppModule.forRoot(env), {
    address: `${env.GRPC_HOST}:${env.GRPC_PORT}`,
    services: LEDGER_FEATURES.flatMap((feature) => feature.services),
    auth: { verifier: API_KEY_VERIFIER, adminToken: env.PLATFORM_ADMIN_TOKEN },
    errors: {
      domain: 'ledger.kontor',
      mappings: LEDGER_FEATURES.flatMap((feature) => feature.errors),
    },
    shutdownGraceMs: 5_000,
    nest: { logger: ['error'] },
  });
  await app.listen();

  return { address: `${env.GRPC_HOST}:${server.boundPort}`, app, stop: () => app.close() };
}
