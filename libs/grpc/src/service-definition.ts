import {
  create,
  fromBinary,
  toBinary,
  type DescMethod,
  type DescService,
} from '@bufbuild/protobuf';
import { type MethodDefinition, type ServiceDefinition } from '@grpc/grpc-js';
import { useFastTextEncoding } from './text-encoding';

// Every message this library encodes or decodes goes through protobuf-es' text encoding.
useFastTextEncoding();

// The HTTP/2 path of an rpc, as every gRPC implementation spells it.
export function methodPath(method: DescMethod): string {
  return `/${method.parent.typeName}/${method.name}`;
}

// One grpc-js method definition from a protobuf-es descriptor. Values are created through the
// schema before encoding, so handlers and callers may pass plain init objects.
export function createMethodDefinition(method: DescMethod): MethodDefinition<unknown, unknown> {
  const { input, output } = method;
  return {
    path: methodPath(method),
    requestStream:
      method.methodKind === 'client_streaming' || method.methodKind === 'bidi_streaming',
    responseStream:
      method.methodKind === 'server_streaming' || method.methodKind === 'bidi_streaming',
    requestSerialize: (value: unknown) =>
      Buffer.from(toBinary(input, create(input, value as never))),
    requestDeserialize: (bytes: Buffer) => fromBinary(input, bytes),
    responseSerialize: (value: unknown) =>
      Buffer.from(toBinary(output, create(output, value as never))),
    responseDeserialize: (bytes: Buffer) => fromBinary(output, bytes),
    originalName: method.localName,
  };
}

// A grpc-js ServiceDefinition keyed by the rpc's local (lowerCamelCase) name, the same key the
// generated GenService uses, so `service.method.createLedger` and `definition.createLedger` match.
export function createServiceDefinition(service: DescService): ServiceDefinition {
  const definition: Record<string, MethodDefinition<unknown, unknown>> = {};
  for (const method of service.methods) {
    definition[method.localName] = createMethodDefinition(method);
  }
  return definition;
}
