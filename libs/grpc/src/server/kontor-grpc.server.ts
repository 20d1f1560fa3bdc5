import { type DescService } from '@bufbuild/protobuf';
import {
  Server as GrpcJsServer,
  ServerCredentials,
  type ChannelOptions,
  type ServerWritableStream,
  type UntypedServiceImplementation,
} from '@grpc/grpc-js';
import { ReflectionService } from '@grpc/reflection';
import { Logger } from '@nestjs/common';
import { Server, type CustomTransportStrategy, type MessageHandler } from '@nestjs/microservices';
import {
  HealthImplementation,
  service as healthServiceDefinition,
  type ServingStatus,
} from 'grpc-health-check';
import { Authenticator, type AuthOptions } from '../auth/authenticator';
import { ErrorStatusMapper, type ErrorStatusMapperOptions } from '../errors/error-status.mapper';
import { fileDescriptorProtos } from '../file-descriptors';
import { createServiceDefinition, methodPath } from '../service-definition';
import { CallRunner, type BoundRpc } from './call-runner';
import { GRPC_BINDING, KONTOR_GRPC_TRANSPORT, type GrpcBinding } from './grpc-method.decorator';

// Why a custom transport and not Nest's built-in gRPC transport (`packageDefinition` option):
// - Nest binds handlers by short service name and silently ignores @GrpcMethod names that are not
//   in the descriptor; here each binding is checked against the GenService descriptor, and a
//   served rpc without a handler stops startup.
// - Errors: Nest's filter pipeline reduces unknown errors to `{ status: 'error' }`; here one mapper
//   produces the status and the `grpc-status-details-bin` trailer (ErrorInfo, BadRequest).
// - Auth runs in the transport for every rpc from its declared access, so no handler can forget
//   a guard, and the handler receives a typed caller.
// - Handlers get (request, ctx) with protobuf-es messages, AsyncIterables for streams, the
//   deadline and an AbortSignal; health, reflection and drain-then-force shutdown are built in.
// Handlers still run through Nest's pipeline (DI, interceptors, guards), via @MessagePattern.

export interface KontorGrpcServerOptions {
  // host:port to listen on; port 0 picks a free port (see boundPort).
  readonly address: string;
  // Generated services this server serves; every rpc of each needs a @GrpcMethod handler.
  readonly services: readonly DescService[];
  readonly auth: AuthOptions;
  readonly errors: ErrorStatusMapperOptions;
  // Default insecure: inside the cluster TLS is terminated by the mesh or ingress.
  readonly credentials?: ServerCredentials;
  // How long close() lets in-flight calls finish before cancelling them; default 10 s.
  readonly shutdownGraceMs?: number;
  // Server reflection (v1 and v1alpha) for grpcurl-style tools; default on.
  readonly reflection?: boolean;
  readonly channelOptions?: ChannelOptions;
}

const DEFAULT_SHUTDOWN_GRACE_MS = 10_000;
const OVERALL = '';
const HEALTH_SERVICE = 'grpc.health.v1.Health';

export class KontorGrpcServer extends Server implements CustomTransportStrategy {
  private readonly grpcLogger = new Logger('KontorGrpcServer');
  private readonly health = new HealthImplementation();
  private readonly bindingProblems: string[] = [];
  private readonly healthWatches = new Set<ServerWritableStream<unknown, unknown>>();
  private readonly runner: CallRunner;
  private grpcServer: GrpcJsServer | undefined;
  private port: number | undefined;

  constructor(private readonly options: KontorGrpcServerOptions) {
    super();
    this.transportId = KONTOR_GRPC_TRANSPORT;
    const authenticator = new Authenticator(options.auth);
    this.runner = new CallRunner(
      authenticator,
      new ErrorStatusMapper(options.errors),
      this.grpcLogger,
    );
    const names = options.services.map((s) => s.typeName);
    if (new Set(names).size !== names.length) {
      throw new Error(`services listed twice: ${names.join(', ')}`);
    }
    for (const name of [OVERALL, ...names]) this.health.setStatus(name, 'NOT_SERVING');
  }

  // The port actually bound (useful with port 0); undefined before listen().
  get boundPort(): number | undefined {
    return this.port;
  }

  override addHandler(
    pattern: unknown,
    callback: MessageHandler,
    isEventHandler = false,
    extras: Record<string, unknown> = {},
  ): void {
    const binding = extras[GRPC_BINDING] as GrpcBinding | undefined;
    const existing = this.messageHandlers.get(this.normalizePattern(pattern as string));
    const existingBinding = existing?.extras?.[GRPC_BINDING] as GrpcBinding | undefined;
    if (binding !== undefined && existingBinding !== undefined) {
      this.bindingProblems.push(
        `${binding.handlerName} and ${existingBinding.handlerName} both handle ${String(pattern)}`,
      );
    }
    super.addHandler(pattern, callback, isEventHandler, extras);
  }

  listen(callback: (error?: unknown) => void): void {
    this.start().then(
      () => callback(),
      (error: unknown) => callback(error),
    );
  }

  // Marks one service (or, with no name, the whole server) for health checks, e.g. NOT_SERVING
  // while the database is unreachable.
  setServingStatus(status: ServingStatus, service: string = OVERALL): void {
    this.health.setStatus(service, status);
  }

  // Announces NOT_SERVING, stops accepting calls, lets in-flight calls finish for up to
  // shutdownGraceMs, then cancels what is left.
  async close(): Promise<void> {
    const server = this.grpcServer;
    if (server === undefined) return;
    this.grpcServer = undefined;
    this.setAll('NOT_SERVING');
    // Watchers have just been sent NOT_SERVING; their streams never end by themselves and would
    // otherwise hold up the drain for the whole grace period.
    for (const watch of this.healthWatches) watch.end();
    const graceMs = this.options.shutdownGraceMs ?? DEFAULT_SHUTDOWN_GRACE_MS;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(() => {
        this.grpcLogger.warn(`in-flight calls still running after ${graceMs} ms: cancelling them`);
        server.forceShutdown();
        resolve();
      }, graceMs);
      server.tryShutdown(() => {
        clearTimeout(timer);
        resolve();
      });
    });
    this.grpcLogger.log('gRPC server stopped');
  }

  on(): never {
    throw new Error('KontorGrpcServer emits no events');
  }

  unwrap<T>(): T {
    if (this.grpcServer === undefined) throw new Error('gRPC server is not listening');
    return this.grpcServer as T;
  }

  private async start(): Promise<void> {
    const bound = this.bindRpcs();
    const server = new GrpcJsServer(this.options.channelOptions);
    for (const service of this.options.services) {
      const implementation: UntypedServiceImplementation = {};
      for (const method of service.methods) {
        implementation[method.localName] = this.runner.implementation(
          bound.get(methodPath(method)) as BoundRpc,
        );
      }
      server.addService(createServiceDefinition(service), implementation);
    }
    this.addHealth(server);
    if (this.options.reflection ?? true) this.reflection().addToServer(server);
    const credentials = this.options.credentials ?? ServerCredentials.createInsecure();
    this.port = await new Promise<number>((resolve, reject) =>
      server.bindAsync(this.options.address, credentials, (error, port) =>
        error ? reject(error) : resolve(port),
      ),
    );
    this.grpcServer = server;
    this.setAll('SERVING');
    const names = this.options.services.map((s) => s.typeName).join(', ');
    this.grpcLogger.log(`gRPC server listening on port ${this.port}, serving ${names}`);
  }

  // Matches @GrpcMethod handlers to the served descriptors; refuses to start on any mismatch.
  private bindRpcs(): Map<string, BoundRpc> {
    const problems = [...this.bindingProblems];
    const served = new Map(this.options.services.map((s) => [s.typeName, s]));
    const bound = new Map<string, BoundRpc>();
    for (const [pattern, handler] of this.messageHandlers) {
      const binding = handler.extras?.[GRPC_BINDING] as GrpcBinding | undefined;
      if (binding === undefined) continue;
      const method = served.get(binding.serviceTypeName)?.method[binding.rpcLocalName];
      if (method === undefined || methodPath(method) !== pattern) {
        problems.push(
          `${binding.handlerName} handles ${pattern}, which this server does not serve (services: ${[...served.keys()].join(', ')})`,
        );
        continue;
      }
      bound.set(pattern, { method, binding, handler });
    }
    for (const service of this.options.services) {
      for (const method of service.methods) {
        if (bound.has(methodPath(method))) continue;
        problems.push(
          `${service.typeName}.${method.name} has no handler: add @GrpcMethod(${service.name}, '${method.localName}') to a controller of the module`,
        );
      }
    }
    if (problems.length > 0) {
      throw new Error(`gRPC server cannot start:\n  - ${problems.join('\n  - ')}`);
    }
    return bound;
  }

  // Adds grpc.health.v1, remembering open Watch streams so close() can end them.
  private addHealth(server: GrpcJsServer): void {
    this.health.addToServer({
      addService: (definition, implementation) => {
        const watch = implementation['watch'] as (call: unknown) => void;
        server.addService(definition, {
          ...implementation,
          watch: (call: ServerWritableStream<unknown, unknown>) => {
            this.healthWatches.add(call);
            call.on('cancelled', () => this.healthWatches.delete(call));
            call.on('finish', () => this.healthWatches.delete(call));
            watch(call);
          },
        });
      },
    });
  }

  private reflection(): ReflectionService {
    // The reflection service reads only `fileDescriptorProtos` of each entry.
    const healthFiles = healthServiceDefinition.Check?.requestType.fileDescriptorProtos ?? [];
    const definition: Record<string, { fileDescriptorProtos: Buffer[] }> = {
      [HEALTH_SERVICE]: { fileDescriptorProtos: healthFiles },
    };
    for (const service of this.options.services) {
      definition[service.typeName] = { fileDescriptorProtos: fileDescriptorProtos([service]) };
    }
    return new ReflectionService(definition as ConstructorParameters<typeof ReflectionService>[0]);
  }

  private setAll(status: ServingStatus): void {
    for (const service of [OVERALL, ...this.options.services.map((s) => s.typeName)]) {
      this.health.setStatus(service, status);
    }
  }
}
