import { once, type EventEmitter } from 'node:events';
import { type DescMethod } from '@bufbuild/protobuf';
import {
  status as GrpcStatus,
  type Metadata,
  type ServerErrorResponse,
  type ServerDuplexStream,
  type ServerReadableStream,
  type ServerUnaryCall,
  type ServerWritableStream,
  type UntypedHandleCall,
  type sendUnaryData,
} from '@grpc/grpc-js';
import { type LoggerService } from '@nestjs/common';
import { type MessageHandler } from '@nestjs/microservices';
import { isObservable, lastValueFrom } from 'rxjs';
import { type Authenticator } from '../auth/authenticator';
import { type GrpcCallContext } from '../call-context';
import { type ErrorStatusMapper } from '../errors/error-status.mapper';
import { richStatusMetadata } from '../errors/status-details';
import { methodPath } from '../service-definition';
import { type GrpcBinding } from './grpc-method.decorator';

// The parts of every grpc-js server call the runner reads.
type WritableCall = ServerWritableStream<unknown, unknown> | ServerDuplexStream<unknown, unknown>;
type AnyServerCall =
  ServerUnaryCall<unknown, unknown> | ServerReadableStream<unknown, unknown> | WritableCall;

export interface BoundRpc {
  readonly method: DescMethod;
  readonly binding: GrpcBinding;
  // Nest's wrapped handler: guards, interceptors and filters run inside it.
  readonly handler: MessageHandler;
}

function deadlineOf(call: AnyServerCall): Date | undefined {
  const deadline = call.getDeadline();
  if (deadline instanceof Date) return deadline;
  return Number.isFinite(deadline) ? new Date(deadline) : undefined;
}

function isAsyncIterable(value: unknown): value is AsyncIterable<unknown> {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as Partial<AsyncIterable<unknown>>)[Symbol.asyncIterator] === 'function'
  );
}

// Nest returns the handler's value, or an Observable (interceptors, or the error filter).
async function settle(output: unknown): Promise<unknown> {
  const awaited: unknown = await output;
  return isObservable(awaited) ? lastValueFrom(awaited) : awaited;
}

// Requests of a client-streaming call as a typed AsyncIterable that ends when the client does.
async function* requestsOf(call: ServerReadableStream<unknown, unknown>): AsyncIterable<unknown> {
  for await (const message of call) yield message as unknown;
}

// Runs one call of a bound rpc: authenticates, builds the call context, invokes the Nest handler,
// and turns every failure into a status through the one ErrorStatusMapper.
export class CallRunner {
  constructor(
    private readonly authenticator: Authenticator,
    private readonly errors: ErrorStatusMapper,
    private readonly logger: LoggerService,
  ) {}

  implementation(rpc: BoundRpc): UntypedHandleCall {
    switch (rpc.method.methodKind) {
      case 'unary':
        return (call: ServerUnaryCall<unknown, unknown>, callback: sendUnaryData<unknown>) =>
          void this.respondOnce(rpc, call, call.request, callback);
      case 'client_streaming':
        return (call: ServerReadableStream<unknown, unknown>, callback: sendUnaryData<unknown>) =>
          void this.respondOnce(rpc, call, requestsOf(call), callback);
      case 'server_streaming':
        return (call: ServerWritableStream<unknown, unknown>) =>
          void this.respondStream(rpc, call, call.request);
      case 'bidi_streaming':
        return (call: ServerDuplexStream<unknown, unknown>) =>
          void this.respondStream(rpc, call, requestsOf(call));
    }
  }

  private async context(rpc: BoundRpc, call: AnyServerCall): Promise<GrpcCallContext> {
    const abort = new AbortController();
    // grpc-js emits 'cancelled' both when the client cancels and when the deadline passes.
    (call as EventEmitter).on('cancelled', () =>
      abort.abort(new Error('call cancelled or deadline exceeded')),
    );
    const deadline = deadlineOf(call);
    const caller = await this.authenticator.authenticate(
      call.metadata,
      rpc.binding.access,
      `${rpc.method.parent.typeName}/${rpc.method.name}`,
    );
    return {
      caller,
      service: rpc.method.parent.typeName,
      rpc: rpc.method.name,
      metadata: call.metadata,
      peer: call.getPeer(),
      deadline,
      signal: abort.signal,
      remainingMs: () =>
        deadline === undefined ? Infinity : Math.max(0, deadline.getTime() - Date.now()),
    };
  }

  private async respondOnce(
    rpc: BoundRpc,
    call: AnyServerCall,
    request: unknown,
    callback: sendUnaryData<unknown>,
  ): Promise<void> {
    try {
      const ctx = await this.context(rpc, call);
      const response = await settle(rpc.handler(request, ctx));
      callback(null, response);
    } catch (error) {
      if (call.cancelled || isPrematureClose(error)) {
        // The call ended under the handler (client cancel, deadline, or grpc-js refusing an
        // over-size message): nobody waits for the answer, and it is no incident of ours.
        this.logger.warn(
          `${methodPath(rpc.method)} ended before its request was read to the end (cancelled, deadline passed or message refused)`,
        );
        callback({ code: GrpcStatus.CANCELLED, details: 'the call ended before its request did' });
        return;
      }
      callback(this.toServiceError(rpc, error));
    }
  }

  private async respondStream(rpc: BoundRpc, call: WritableCall, request: unknown): Promise<void> {
    try {
      const ctx = await this.context(rpc, call);
      const responses = await settle(rpc.handler(request, ctx));
      if (!isAsyncIterable(responses)) {
        throw new Error(
          `${rpc.binding.handlerName} must return an AsyncIterable (async generator)`,
        );
      }
      for await (const response of responses) {
        if (ctx.signal.aborted) break;
        // Respect backpressure: wait for the client to drain before producing more.
        if (!call.write(response)) await once(call, 'drain', { signal: ctx.signal });
      }
      if (!ctx.signal.aborted) call.end();
    } catch (error) {
      if (!call.cancelled) call.emit('error', this.toServiceError(rpc, error));
    }
  }

  private toServiceError(rpc: BoundRpc, error: unknown): ServerErrorResponse {
    const { status, incidentRef } = this.errors.map(error);
    if (incidentRef !== undefined) {
      const detail = error instanceof Error ? (error.stack ?? error.message) : String(error);
      this.logger.error(
        `${methodPath(rpc.method)} failed unexpectedly (incident ${incidentRef}) in ${rpc.binding.handlerName}`,
        detail,
      );
    }
    const metadata: Metadata = richStatusMetadata(status);
    return Object.assign(new Error(status.message), {
      code: status.code,
      details: status.message,
      metadata,
    });
  }
}

/** The error a request stream gives when its call ends before the client finished sending. */
function isPrematureClose(error: unknown): boolean {
  return (error as { code?: unknown } | null)?.code === 'ERR_STREAM_PREMATURE_CLOSE';
}
