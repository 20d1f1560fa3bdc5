// Generated contracts are imported by deep path, one proto file at a time:
//   import { LedgerService } from '@kontor/contracts/ledger/v1/ledger_service_pb';
// A barrel would not even compile (kontor.ledger.v1 and kontor.reporting.v1 both declare
// ListLedgersRequest), would make every importer load every contract, and would blur which
// service depends on which package.
//
// The google.rpc error model is the exception: the deep alias only reaches gen/kontor/*, and it is
// one fixed set of messages that libs/grpc uses to encode rich error status.
export * from './gen/google/rpc/status_pb';
export * from './gen/google/rpc/error_details_pb';
