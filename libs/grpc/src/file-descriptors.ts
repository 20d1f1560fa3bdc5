import { toBinary, type DescFile, type DescService } from '@bufbuild/protobuf';
import { FileDescriptorProtoSchema } from '@bufbuild/protobuf/wkt';

// The files declaring the given services plus everything they import (e.g.
// google/protobuf/timestamp.proto), dependencies first, each once. Reflection clients such as
// grpcurl need the whole closure to decode a single message.
export function fileClosure(services: readonly DescService[]): DescFile[] {
  const ordered: DescFile[] = [];
  const seen = new Set<string>();
  const visit = (file: DescFile): void => {
    if (seen.has(file.name)) return;
    seen.add(file.name);
    for (const dependency of file.dependencies) visit(dependency);
    ordered.push(file);
  };
  for (const service of services) visit(service.file);
  return ordered;
}

// Serialized google.protobuf.FileDescriptorProto of each file, for the reflection service.
export function fileDescriptorProtos(services: readonly DescService[]): Buffer[] {
  return fileClosure(services).map((file) =>
    Buffer.from(toBinary(FileDescriptorProtoSchema, file.proto)),
  );
}
