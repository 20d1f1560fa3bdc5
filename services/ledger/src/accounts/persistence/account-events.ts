import { create } from '@bufbuild/protobuf';
import { type EntityManager } from '@mikro-orm/postgresql';
import { AccountCreatedSchema } from '@kontor/contracts/events/v1/ledger_events_pb';
import { LEDGER_LEDGERS_TOPIC } from '@kontor/events';
import { enqueueEvent } from '@kontor/kafka';
import { toAccountMessage } from '../transport/account.proto-mapper';
import { type AccountEntity } from './account.entity';

/**
 * Queues AccountCreated for each account in the caller's transaction (after the accounts were
 * flushed), keyed by ledger id so a ledger's LedgerCreated and its chart stay in order.
 */
export async function enqueueAccountsCreated(
  em: EntityManager,
  accounts: readonly AccountEntity[],
): Promise<void> {
  for (const account of accounts) {
    await enqueueEvent(em, LEDGER_LEDGERS_TOPIC, {
      key: account.ledgerId,
      schema: AccountCreatedSchema,
      message: create(AccountCreatedSchema, {
        tenantId: account.tenantId,
        account: toAccountMessage(account),
      }),
    });
  }
}
