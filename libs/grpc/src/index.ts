// @kontor/grpc: serve and call protobuf-es (GenService) services with @grpc/grpc-js, hosted in
// NestJS. See README.md for a walkthrough.
export { status as GrpcStatus, Metadata } from '@grpc/grpc-js';

export { createMethodDefinition, createServiceDefinition, methodPath } from './service-definition';
export { fileClosure, fileDescriptorProtos } from './file-descriptors';

export type {
  Access,
  AdminCallContext,
  AdminCaller,
  AnonymousCaller,
  Caller,
  CallerFor,
  GrpcCallContext,
  PublicCallContext,
  TenantCallContext,
  TenantCaller,
} from './call-context';

// The same class as @kontor/errors' (domain code imports it from there, free of transport code);
// re-exported so transport code has one import.
export {
  DomainError,
  InvalidArgumentError,
  type DomainErrorOptions,
  type FieldViolation,
} from '@kontor/errors';
export { GrpcStatusError } from './errors/grpc-status-error';
export {
  ErrorStatusMapper,
  mapDomainErrors,
  type DomainErrorMapping,
  type DomainErrorStatus,
  type ErrorStatusMapperOptions,
  type ErrorStatusTable,
} from './errors/error-status.mapper';
export {
  STATUS_DETAILS_KEY,
  decodeStatusDetails,
  encodeRichStatus,
  type RichStatus,
} from './errors/status-details';

export {
  API_KEY_FORMAT,
  API_KEY_ID_SHAPE,
  generateApiKey,
  hashSecret,
  parseApiKey,
  secretDigestsEqual,
  type GeneratedApiKey,
  type ParsedApiKey,
} from './auth/api-key';
export {
  API_KEY_VERIFIER,
  InMemoryApiKeyVerifier,
  type ApiKeyVerifier,
  type VerifiedApiKey,
} from './auth/api-key-verifier';
export {
  AUTH_ERROR_DOMAIN,
  Authenticator,
  SERVICE_METADATA,
  TENANT_ID_METADATA,
  type AuthOptions,
} from './auth/authenticator';

export {
  GrpcMethod,
  type GrpcHandler,
  type GrpcMethodOptions,
  type HandlerRequest,
  type HandlerResponse,
} from './server/grpc-method.decorator';
export { KontorGrpcServer, type KontorGrpcServerOptions } from './server/kontor-grpc.server';
export {
  createGrpcMicroservice,
  type GrpcMicroservice,
  type GrpcMicroserviceOptions,
} from './server/create-grpc-microservice';

export {
  createClient,
  type CallOptions,
  type ClientMethod,
  type ClientOptions,
  type GrpcClient,
} from './client/create-client';
export { GrpcCallError } from './client/grpc-call-error';
export { checkHealth, type HealthStatus } from './client/check-health';
