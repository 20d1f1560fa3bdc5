import { DomainError } from '@kontor/errors';

export enum PostingRulesErrorCode {
  NOT_A_CONSUMED_TOPIC = 'NOT_A_CONSUMED_TOPIC',
  INVALID_REPLAY_LIMIT = 'INVALID_REPLAY_LIMIT',
}

export class PostingRulesError extends DomainError<PostingRulesErrorCode> {}
