import {
  type DynamicModule,
  type InjectionToken,
  type INestMicroservice,
  type NestApplicationOptions,
  type Type,
} from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { type ApiKeyVerifier } from '../auth/api-key-verifier';
import { KontorGrpcServer, type KontorGrpcServerOptions } from './kontor-grpc.server';

export interface GrpcMicroserviceOptions extends Omit<KontorGrpcServerOptions, 'auth'> {
  readonly auth: {
    // A verifier, or the DI token of the provider that is one (e.g. the ledger's key repository).
    readonly verifier: ApiKeyVerifier | InjectionToken;
    readonly adminToken?: string;
    // See AuthOptions.internalServiceToken.
    readonly internalServiceToken?: string;
  };
  readonly nest?: NestApplicationOptions;
}

export interface GrpcMicroservice {
  readonly app: INestMicroservice;
  readonly server: KontorGrpcServer;
}

function tokenName(token: InjectionToken): string {
  return typeof token === 'function' ? token.name : String(token);
}

function isVerifier(value: unknown): value is ApiKeyVerifier {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as Partial<ApiKeyVerifier>).verify === 'function'
  );
}

// Creates the Nest microservice hosting the given services. The transport exists before the DI
// container, so a verifier given as a DI token is resolved right after the container is built
// (and before listen()); calls are only accepted after that.
export async function createGrpcMicroservice(
  rootModule: Type<unknown> | DynamicModule,
  options: GrpcMicroserviceOptions,
): Promise<GrpcMicroservice> {
  const { auth, nest, ...serverOptions } = options;
  let verifier: ApiKeyVerifier | undefined = isVerifier(auth.verifier) ? auth.verifier : undefined;
  const server = new KontorGrpcServer({
    ...serverOptions,
    auth: {
      adminToken: auth.adminToken,
      internalServiceToken: auth.internalServiceToken,
      verifier: {
        verify: (keyId, secretSha256) => {
          if (verifier === undefined) throw new Error('API key verifier is not resolved yet');
          return verifier.verify(keyId, secretSha256);
        },
      },
    },
  });
  const app = await NestFactory.createMicroservice(rootModule, { ...nest, strategy: server });
  if (verifier === undefined) {
    const resolved: unknown = app.get(auth.verifier as InjectionToken, { strict: false });
    if (!isVerifier(resolved)) {
      await app.close();
      throw new Error(
        `the provider for ${tokenName(auth.verifier as InjectionToken)} is not an ApiKeyVerifier`,
      );
    }
    verifier = resolved;
  }
  return { app, server };
}
