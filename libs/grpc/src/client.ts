// @kontor/grpc/client: the calling side alone. Command-line tools import this instead of the
// package index, which also loads the server (NestJS, reflection, health service).
export {
  createClient,
  type CallOptions,
  type ClientMethod,
  type ClientOptions,
  type GrpcClient,
} from './client/create-client';
export { GrpcCallError } from './client/grpc-call-error';
