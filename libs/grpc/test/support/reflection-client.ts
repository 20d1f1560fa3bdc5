import { fromBinary } from '@bufbuild/protobuf';
import { BinaryReader, BinaryWriter, WireType } from '@bufbuild/protobuf/wire';
import { FileDescriptorProtoSchema, type FileDescriptorProto } from '@bufbuild/protobuf/wkt';
import { Client, credentials, Metadata } from '@grpc/grpc-js';

// A minimal grpc.reflection client, independent of the server's implementation: it encodes
// ServerReflectionRequest and decodes ServerReflectionResponse by hand (field numbers from
// grpc/reflection/v1/reflection.proto), the way grpcurl talks to a server.
type Request = { listServices: true } | { fileContainingSymbol: string };

function encodeRequest(request: Request): Buffer {
  const writer = new BinaryWriter();
  if ('listServices' in request) writer.tag(7, WireType.LengthDelimited).string('*');
  else writer.tag(4, WireType.LengthDelimited).string(request.fileContainingSymbol);
  return Buffer.from(writer.finish());
}

interface Response {
  services: string[];
  files: FileDescriptorProto[];
  error?: string;
}

function readRepeated(bytes: Uint8Array, field: number): Uint8Array[] {
  const reader = new BinaryReader(bytes);
  const values: Uint8Array[] = [];
  while (reader.pos < reader.len) {
    const [number, wireType] = reader.tag();
    if (number === field && wireType === WireType.LengthDelimited) values.push(reader.bytes());
    else reader.skip(wireType);
  }
  return values;
}

function decodeResponse(bytes: Buffer): Response {
  const response: Response = { services: [], files: [] };
  const reader = new BinaryReader(bytes);
  while (reader.pos < reader.len) {
    const [number, wireType] = reader.tag();
    if (number === 4) {
      const files = readRepeated(reader.bytes(), 1);
      response.files = files.map((file) => fromBinary(FileDescriptorProtoSchema, file));
    } else if (number === 6) {
      for (const service of readRepeated(reader.bytes(), 1)) {
        const name = readRepeated(service, 1)[0];
        response.services.push(Buffer.from(name ?? []).toString('utf8'));
      }
    } else if (number === 7) {
      response.error = Buffer.from(readRepeated(reader.bytes(), 2)[0] ?? []).toString('utf8');
    } else {
      reader.skip(wireType);
    }
  }
  return response;
}

export async function reflect(
  address: string,
  request: Request,
  version: 'v1' | 'v1alpha' = 'v1',
): Promise<Response> {
  const client = new Client(address, credentials.createInsecure());
  try {
    const call = client.makeBidiStreamRequest(
      `/grpc.reflection.${version}.ServerReflection/ServerReflectionInfo`,
      encodeRequest,
      decodeResponse,
      new Metadata(),
      { deadline: new Date(Date.now() + 5_000) },
    );
    call.write(request);
    call.end();
    const responses: Response[] = [];
    for await (const response of call) responses.push(response as Response);
    if (responses[0] === undefined) throw new Error('no reflection response');
    return responses[0];
  } finally {
    client.close();
  }
}
