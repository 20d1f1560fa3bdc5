import { DomainError } from '@kontor/errors';

export enum PostingRulesErrorCode {
  NOT_A_CONSUMED_TOPIC = 'NOT_A_CONSUMED_TOPIC',
  INVALID_REPLAY_LIMIT = 'INVALID_REPLAY_LIMIT',
  LEDGER_NOT_FOUND = 'LEDGER_NOT_FOUND',
  ACCOUNT_NOT_FOUND = 'ACCOUNT_NOT_FOUND',
  INVALID_JOURNAL_SYMBOL = 'INVALID_JOURNAL_SYMBOL',
}

export class PostingRulesError extends DomainError<PostingRulesErrorCode> {}
