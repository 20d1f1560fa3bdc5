import { type MessageInitShape, type MessageShape } from '@bufbuild/protobuf';
import { type GenService, type GenServiceMethods } from '@bufbuild/protobuf/codegenv2';
import { Catch, UseFilters, type RpcExceptionFilter } from '@nestjs/common';
import { Ctx, MessagePattern, Payload } from '@nestjs/microservices';
import { PARAM_ARGS_METADATA } from '@nestjs/microservices/constants';
import { throwError, type Observable } from 'rxjs';
import { type Access, type CallerFor, type GrpcCallContext } from '../call-context';
import { methodPath } from '../service-definition';

type MethodInfo = GenServiceMethods[string];

// What a handler receives: the request message, or an AsyncIterable of them for client-streaming.
export type HandlerRequest<M extends MethodInfo> = M['methodKind'] extends
  'unary' | 'server_streaming'
  ? MessageShape<M['input']>
  : AsyncIterable<MessageShape<M['input']>>;

// What a handler returns: one response (init shape: a plain object is fine) or, for
// server-streaming, an AsyncIterable (an async generator) of them.
export type HandlerResponse<M extends MethodInfo> = M['methodKind'] extends
  'unary' | 'client_streaming'
  ? Promise<MessageInitShape<M['output']>> | MessageInitShape<M['output']>
  : AsyncIterable<MessageInitShape<M['output']>>;

export type GrpcHandler<M extends MethodInfo, A extends Access> = (
  request: HandlerRequest<M>,
  ctx: GrpcCallContext<CallerFor<A>>,
) => HandlerResponse<M>;

// Pattern extras through which the transport finds its bindings among all Nest handlers.
export const GRPC_BINDING = 'kontor.grpc.binding';
// Only KontorGrpcServer (which uses this transport id) receives @GrpcMethod handlers.
export const KONTOR_GRPC_TRANSPORT = Symbol('KontorGrpcTransport');

export interface GrpcBinding {
  readonly serviceTypeName: string;
  readonly rpcLocalName: string;
  readonly access: Access;
  // "LedgerController.createLedger", for error messages.
  readonly handlerName: string;
}

// Nest's default exception filter would replace every non-RpcException with a bare
// "Internal server error" object. This one hands the original error to the transport, which owns
// the one mapping from errors to gRPC status (DomainError table, INTERNAL otherwise).
@Catch()
class PassErrorsToTransport implements RpcExceptionFilter<unknown> {
  catch(exception: unknown): Observable<never> {
    return throwError(() => exception);
  }
}

export interface GrpcMethodOptions<A extends Access> {
  // Default 'tenant': the handler gets ctx.caller = { kind: 'tenant', tenantId, keyId }.
  readonly access?: A;
}

// Binds a controller method to an rpc of a generated service:
//   @GrpcMethod(LedgerService, 'getLedger')
//   getLedger(req: GetLedgerRequest, ctx: TenantCallContext): Promise<GetLedgerResponseInit>
// The rpc name is checked by the compiler (keyof the service's methods) and again when the class
// is defined, and the method's signature must match the rpc's request/response types and the
// caller kind its access implies. Parameters are positional (request, ctx); Nest param decorators
// are not allowed on these methods because a forgotten @Ctx() would silently drop the caller.
export function GrpcMethod<
  S extends GenServiceMethods,
  K extends keyof S & string,
  A extends Access = 'tenant',
>(service: GenService<S>, rpc: K, options: GrpcMethodOptions<A> = {}) {
  return <T extends GrpcHandler<S[K], A>>(
    target: object,
    key: string | symbol,
    descriptor: TypedPropertyDescriptor<T>,
  ): void => {
    const handlerName = `${target.constructor.name}.${String(key)}`;
    const method = Object.hasOwn(service.method, rpc) ? service.method[rpc] : undefined;
    if (method === undefined) {
      const known = service.methods.map((m) => m.localName).join(', ');
      throw new Error(
        `@GrpcMethod on ${handlerName}: ${service.typeName} has no rpc '${rpc}' (it has: ${known})`,
      );
    }
    if (Reflect.getMetadata(PARAM_ARGS_METADATA, target.constructor, key) !== undefined) {
      throw new Error(
        `@GrpcMethod on ${handlerName}: remove the parameter decorators; gRPC handlers take (request, ctx) positionally`,
      );
    }
    const binding: GrpcBinding = {
      serviceTypeName: service.typeName,
      rpcLocalName: method.localName,
      access: options.access ?? 'tenant',
      handlerName,
    };
    Payload()(target, key, 0);
    Ctx()(target, key, 1);
    UseFilters(new PassErrorsToTransport())(target, key, descriptor);
    MessagePattern(methodPath(method), KONTOR_GRPC_TRANSPORT, { [GRPC_BINDING]: binding })(
      target,
      key,
      descriptor,
    );
  };
}
