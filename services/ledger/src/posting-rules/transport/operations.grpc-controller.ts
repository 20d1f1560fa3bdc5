import { Controller, Inject } from '@nestjs/common';
import { type Kafka } from 'kafkajs';
import {
  OperationsService,
  type ReplayDeadLettersRequest,
} from '@kontor/contracts/ledger/v1/operations_service_pb';
import { GrpcMethod, type AdminCallContext } from '@kontor/grpc';
import { replayDeadLetters } from '@kontor/kafka';
import { KAFKA } from '@kontor/service-kit';
import { PostingRulesError, PostingRulesErrorCode } from '../domain/posting-rules.errors';
import { CONSUMED_TOPICS } from '../posting-rules.topics';

const REPLAY_LIMIT_DEFAULT = 1_000;
const REPLAY_LIMIT_MAX = 10_000;

@Controller()
export class OperationsGrpcController {
  constructor(@Inject(KAFKA) private readonly kafka: Kafka) {}

  @GrpcMethod(OperationsService, 'replayDeadLetters', { access: 'admin' })
  async replayDeadLetters(request: ReplayDeadLettersRequest, _ctx: AdminCallContext) {
    const topic = CONSUMED_TOPICS.find((candidate) => candidate.name === request.topic);
    if (!topic) {
      throw new PostingRulesError(
        PostingRulesErrorCode.NOT_A_CONSUMED_TOPIC,
        `topic "${request.topic}" is not one the ledger consumes (${CONSUMED_TOPICS.map((t) => t.name).join(', ')})`,
        { fieldViolations: [{ field: 'topic', description: 'not a topic the ledger consumes' }] },
      );
    }
    const limit = request.limit === 0 ? REPLAY_LIMIT_DEFAULT : request.limit;
    if (limit < 1 || limit > REPLAY_LIMIT_MAX) {
      throw new PostingRulesError(
        PostingRulesErrorCode.INVALID_REPLAY_LIMIT,
        `limit must be 1-${REPLAY_LIMIT_MAX} (0 means ${REPLAY_LIMIT_DEFAULT}), got ${request.limit}`,
        { fieldViolations: [{ field: 'limit', description: `1-${REPLAY_LIMIT_MAX}` }] },
      );
    }

    return replayDeadLetters(this.kafka, topic, { limit });
  }
}
