import { once } from 'node:events';
import {
  type DescMethod,
  type DescService,
  type MessageInitShape,
  type MessageShape,
} from '@bufbuild/protobuf';
import { type GenService, type GenServiceMethods } from '@bufbuild/protobuf/codegenv2';
import {
  Client,
  credentials as channelCredentials,
  Metadata,
  type CallOptions as GrpcJsCallOptions,
  type ChannelCredentials,
  type ChannelOptions,
  type ClientWritableStream,
} from '@grpc/grpc-js';
import { createMethodDefinition } from '../service-definition';
import { GrpcCallError } from './grpc-call-error';

type MethodInfo = GenServiceMethods[string];
type Input<M extends MethodInfo> = MessageInitShape<M['input']>;
type Output<M extends MethodInfo> = MessageShape<M['output']>;
type Requests<M extends MethodInfo> = AsyncIterable<Input<M>> | Iterable<Input<M>>;

export interface ClientOptions {
  // Tenant API key or admin token, sent as `authorization: Bearer <token>` on every call.
  readonly token?: string;
  // Deadline of every call unless the call says otherwise; pick it per client, not per process.
  readonly defaultDeadlineMs: number;
  // Default insecure: inside the cluster TLS is terminated by the mesh.
  readonly credentials?: ChannelCredentials;
  readonly channelOptions?: ChannelOptions;
}

export interface CallOptions {
  // Deadline of this call relative to now; Infinity for none.
  readonly deadlineMs?: number;
  // Absolute deadline, e.g. the ctx.deadline of the call being served; the earlier one wins.
  readonly deadline?: Date;
  readonly metadata?: Metadata;
  readonly signal?: AbortSignal;
}

export type ClientMethod<M extends MethodInfo> = M['methodKind'] extends 'unary'
  ? (request: Input<M>, options?: CallOptions) => Promise<Output<M>>
  : M['methodKind'] extends 'server_streaming'
    ? (request: Input<M>, options?: CallOptions) => AsyncIterable<Output<M>>
    : M['methodKind'] extends 'client_streaming'
      ? (requests: Requests<M>, options?: CallOptions) => Promise<Output<M>>
      : (requests: Requests<M>, options?: CallOptions) => AsyncIterable<Output<M>>;

export type GrpcClient<S extends GenServiceMethods> = {
  readonly [K in keyof S]: ClientMethod<S[K]>;
} & { close(): void };

// Anything the methods below need from one client.
interface Channel {
  readonly client: Client;
  metadata(options: CallOptions | undefined): Metadata;
  callOptions(options: CallOptions | undefined): GrpcJsCallOptions;
}

async function pump(requests: Requests<MethodInfo>, call: ClientWritableStream<unknown>) {
  try {
    for await (const request of requests) {
      if (!call.write(request)) await once(call, 'drain');
    }
    call.end();
  } catch (error) {
    call.cancel();
    throw error;
  }
}

function unary(channel: Channel, method: DescMethod) {
  const d = createMethodDefinition(method);
  return (request: unknown, options?: CallOptions) =>
    new Promise<unknown>((resolve, reject) => {
      const call = channel.client.makeUnaryRequest(
        d.path,
        d.requestSerialize,
        d.responseDeserialize,
        request,
        channel.metadata(options),
        channel.callOptions(options),
        (error, response) => (error ? reject(GrpcCallError.from(error)) : resolve(response)),
      );
      options?.signal?.addEventListener('abort', () => call.cancel(), { once: true });
    });
}

function clientStreaming(channel: Channel, method: DescMethod) {
  const d = createMethodDefinition(method);
  return (requests: Requests<MethodInfo>, options?: CallOptions) =>
    new Promise<unknown>((resolve, reject) => {
      const call = channel.client.makeClientStreamRequest(
        d.path,
        d.requestSerialize,
        d.responseDeserialize,
        channel.metadata(options),
        channel.callOptions(options),
        (error, response) => (error ? reject(GrpcCallError.from(error)) : resolve(response)),
      );
      options?.signal?.addEventListener('abort', () => call.cancel(), { once: true });
      pump(requests, call).catch(reject);
    });
}

function serverStreaming(channel: Channel, method: DescMethod) {
  const d = createMethodDefinition(method);
  return async function* (request: unknown, options?: CallOptions): AsyncIterable<unknown> {
    const call = channel.client.makeServerStreamRequest(
      d.path,
      d.requestSerialize,
      d.responseDeserialize,
      request,
      channel.metadata(options),
      channel.callOptions(options),
    );
    options?.signal?.addEventListener('abort', () => call.cancel(), { once: true });
    try {
      for await (const response of call) yield response as unknown;
    } catch (error) {
      throw GrpcCallError.from(error);
    } finally {
      // Stops the server's work when the consumer leaves the loop early.
      call.cancel();
    }
  };
}

function bidiStreaming(channel: Channel, method: DescMethod) {
  const d = createMethodDefinition(method);
  return async function* (requests: Requests<MethodInfo>, options?: CallOptions) {
    const call = channel.client.makeBidiStreamRequest(
      d.path,
      d.requestSerialize,
      d.responseDeserialize,
      channel.metadata(options),
      channel.callOptions(options),
    );
    options?.signal?.addEventListener('abort', () => call.cancel(), { once: true });
    const pumping = pump(requests, call);
    try {
      for await (const response of call) yield response as unknown;
      await pumping;
    } catch (error) {
      throw GrpcCallError.from(error);
    } finally {
      call.cancel();
      pumping.catch(() => undefined);
    }
  };
}

function bindMethod(channel: Channel, method: DescMethod): unknown {
  switch (method.methodKind) {
    case 'unary':
      return unary(channel, method);
    case 'server_streaming':
      return serverStreaming(channel, method);
    case 'client_streaming':
      return clientStreaming(channel, method);
    case 'bidi_streaming':
      return bidiStreaming(channel, method);
  }
}

function deadlineOf(defaultMs: number, options: CallOptions | undefined): Date | undefined {
  const relativeMs = options?.deadlineMs ?? defaultMs;
  const candidates = [
    Number.isFinite(relativeMs) ? Date.now() + relativeMs : Infinity,
    options?.deadline?.getTime() ?? Infinity,
  ];
  const earliest = Math.min(...candidates);
  return Number.isFinite(earliest) ? new Date(earliest) : undefined;
}

// A typed client of one generated service: a promise-returning method per unary rpc, an
// AsyncIterable per server-streaming rpc; failures reject with GrpcCallError.
export function createClient<S extends GenServiceMethods>(
  service: GenService<S>,
  address: string,
  options: ClientOptions,
): GrpcClient<S> {
  const descriptor = service as unknown as DescService;
  if (Object.hasOwn(descriptor.method, 'close')) {
    throw new Error(`${descriptor.typeName} has an rpc named Close, which clashes with close()`);
  }
  const client = new Client(
    address,
    options.credentials ?? channelCredentials.createInsecure(),
    options.channelOptions,
  );
  const channel: Channel = {
    client,
    metadata: (callOptions) => {
      const metadata = callOptions?.metadata?.clone() ?? new Metadata();
      if (options.token !== undefined) metadata.set('authorization', `Bearer ${options.token}`);
      return metadata;
    },
    callOptions: (callOptions) => ({
      deadline: deadlineOf(options.defaultDeadlineMs, callOptions),
    }),
  };
  const methods: Record<string, unknown> = { close: () => client.close() };
  for (const method of descriptor.methods) methods[method.localName] = bindMethod(channel, method);
  return methods as GrpcClient<S>;
}
