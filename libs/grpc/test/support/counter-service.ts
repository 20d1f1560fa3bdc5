import { create, createFileRegistry, type Message } from '@bufbuild/protobuf';
import { type GenMessage, type GenService } from '@bufbuild/protobuf/codegenv2';
import { FieldDescriptorProto_Type, FileDescriptorProtoSchema } from '@bufbuild/protobuf/wkt';

// The Kontor contracts have no streaming rpc yet, so streaming is proven against this test-only
// service, described at runtime exactly as protoc-gen-es would describe it:
//   service CounterService {
//     rpc Count(CountRequest) returns (stream CountResponse);  // 1..up_to
//     rpc Sum(stream SumRequest) returns (SumResponse);        // like an upload in chunks
//   }
export type CountRequest = Message<'kontor.test.v1.CountRequest'> & { upTo: number };
export type CountResponse = Message<'kontor.test.v1.CountResponse'> & { value: number };
export type SumRequest = Message<'kontor.test.v1.SumRequest'> & { value: number };
export type SumResponse = Message<'kontor.test.v1.SumResponse'> & { total: number; count: number };

const int32Field = (name: string, number: number) => ({
  name,
  number,
  jsonName: name.replace(/_(\w)/g, (_, c: string) => c.toUpperCase()),
  type: FieldDescriptorProto_Type.INT32,
  label: 1,
});

const file = create(FileDescriptorProtoSchema, {
  name: 'kontor/test/v1/counter_service.proto',
  package: 'kontor.test.v1',
  syntax: 'proto3',
  messageType: [
    { name: 'CountRequest', field: [int32Field('up_to', 1)] },
    { name: 'CountResponse', field: [int32Field('value', 1)] },
    { name: 'SumRequest', field: [int32Field('value', 1)] },
    { name: 'SumResponse', field: [int32Field('total', 1), int32Field('count', 2)] },
  ],
  service: [
    {
      name: 'CounterService',
      method: [
        {
          name: 'Count',
          inputType: '.kontor.test.v1.CountRequest',
          outputType: '.kontor.test.v1.CountResponse',
          serverStreaming: true,
        },
        {
          name: 'Sum',
          inputType: '.kontor.test.v1.SumRequest',
          outputType: '.kontor.test.v1.SumResponse',
          clientStreaming: true,
        },
      ],
    },
  ],
});

const registry = createFileRegistry(file, () => undefined);

export const CounterService = registry.getService(
  'kontor.test.v1.CounterService',
) as unknown as GenService<{
  count: {
    methodKind: 'server_streaming';
    input: GenMessage<CountRequest>;
    output: GenMessage<CountResponse>;
  };
  sum: {
    methodKind: 'client_streaming';
    input: GenMessage<SumRequest>;
    output: GenMessage<SumResponse>;
  };
}>;
