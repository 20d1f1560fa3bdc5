import { GrpcStatus, type ErrorStatusTable } from '@kontor/grpc';
import { type PostingRulesErrorCode } from '../domain/posting-rules.errors';

export const POSTING_RULES_ERROR_STATUS: ErrorStatusTable<PostingRulesErrorCode> = {
  NOT_A_CONSUMED_TOPIC: GrpcStatus.INVALID_ARGUMENT,
  INVALID_REPLAY_LIMIT: GrpcStatus.INVALID_ARGUMENT,
  LEDGER_NOT_FOUND: GrpcStatus.NOT_FOUND,
  ACCOUNT_NOT_FOUND: GrpcStatus.NOT_FOUND,
  INVALID_JOURNAL_SYMBOL: GrpcStatus.INVALID_ARGUMENT,
};
