import { fromBinary } from '@bufbuild/protobuf';
import { FileDescriptorProtoSchema } from '@bufbuild/protobuf/wkt';
import { LedgerService } from '@kontor/contracts/ledger/v1/ledger_service_pb';
import { TenantService } from '@kontor/contracts/ledger/v1/tenant_service_pb';
import { fileClosure, fileDescriptorProtos } from './file-descriptors';

describe(fileClosure.name, () => {
  it('lists imported files before the files that import them, each once', () => {
    const names = fileClosure([LedgerService, TenantService]).map((f) => f.proto.name);
    expect(names).toEqual([
      'google/protobuf/timestamp.proto',
      'kontor/ledger/v1/ledger_service.proto',
      'kontor/ledger/v1/tenant_service.proto',
    ]);
  });

  it('serializes each file as a google.protobuf.FileDescriptorProto', () => {
    const files = fileDescriptorProtos([LedgerService]).map((b) =>
      fromBinary(FileDescriptorProtoSchema, b),
    );
    const ledger = files.find((f) => f.name === 'kontor/ledger/v1/ledger_service.proto');
    expect(ledger?.package).toBe('kontor.ledger.v1');
    expect(ledger?.dependency).toEqual(['google/protobuf/timestamp.proto']);
    expect(ledger?.service[0]?.name).toBe('LedgerService');
  });
});
