import { Injectable, Logger } from '@nestjs/common';
import { type EntityManager } from '@mikro-orm/postgresql';
import { type DEALS_SETTLEMENTS_TOPIC } from '@kontor/events';
import { PermanentEventError, type TopicEvent } from '@kontor/kafka';
import { Money, MoneyError } from '@kontor/money';
import { type EntryInput } from '../entries/domain/entry';
import { PostingService } from '../entries/posting.service';
import { payeeEntry, payerEntry, type SettlementShareInput } from './domain/settlement-entries';
import { partyBooks } from './persistence/settlement-books.repository';

type SettlementEvent = TopicEvent<typeof DEALS_SETTLEMENTS_TOPIC>;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Posts a finalized deal settlement (`deals.settlements.v1`) into the parties' primary ledgers,
 * inside the consumer's inbox transaction: the entries and the inbox row commit together, so a
 * settlement posts exactly once (and the idempotency keys, settlement + party + side, make a
 * replay a no-op even without the inbox). A party without a primary ledger keeps its books
 * elsewhere: its side is skipped. An entry the ledger rejects (an account missing from the
 * chart, a closed month) dead-letters the whole settlement for a replay once fixed.
 */
@Injectable()
export class SettlementPostingService {
  private readonly logger = new Logger(SettlementPostingService.name);

  constructor(private readonly posting: PostingService) {}

  async apply(event: SettlementEvent, em: EntityManager): Promise<void> {
    const message = event.message;
    if (!UUID.test(message.tenantId) || !UUID.test(message.payerOrganizationId)) {
      throw new PermanentEventError(
        'SettlementFinalized: tenant_id and payer_organization_id must be UUIDs',
      );
    }
    const shares = message.shares.map((share): SettlementShareInput => {
      if (!UUID.test(share.organizationId)) {
        throw new PermanentEventError(
          `SettlementFinalized: share organization "${share.organizationId}" is not a UUID`,
        );
      }
      return {
        settlementId: message.settlementId,
        dealId: message.dealId,
        dealName: message.dealName,
        periodLabel: message.periodLabel,
        periodEnd: message.periodEnd,
        payerOrganizationId: message.payerOrganizationId,
        payeeOrganizationId: share.organizationId,
        amount: this.amountOf(share.amount),
      };
    });
    const books = await partyBooks(em, message.tenantId, [
      message.payerOrganizationId,
      ...shares.map((share) => share.payeeOrganizationId),
    ]);
    const payerBook = books.get(message.payerOrganizationId);
    const inputs: EntryInput[] = [];
    for (const share of shares) {
      const payeeBook = books.get(share.payeeOrganizationId);
      const payer = payerBook ? payerEntry(share, payerBook) : null;
      const payee = payeeBook ? payeeEntry(share, payeeBook) : null;
      if (payer) inputs.push(payer);
      if (payee) inputs.push(payee);
    }
    const skipped = [
      message.payerOrganizationId,
      ...shares.map((s) => s.payeeOrganizationId),
    ].filter((id) => !books.has(id));
    if (skipped.length > 0) {
      this.logger.warn(
        `settlement ${message.settlementId}: no primary ledger for ${skipped.join(', ')}; their side is not posted`,
      );
    }
    if (inputs.length === 0) return;
    const results = await this.posting.post(message.tenantId, inputs, {
      postedBy: `event:deals.settlements.v1/${event.id}`,
      source: 'settlement',
      em,
    });
    const rejected = results.find((result) => !result.ok);
    if (rejected && !rejected.ok) {
      throw new PermanentEventError(
        `a settlement entry cannot be posted: ${rejected.error.message}`,
        {
          cause: rejected.error,
        },
      );
    }
  }

  private amountOf(money: { amount: string; currency: string } | undefined): Money {
    try {
      return Money.parse(money?.amount ?? '', money?.currency ?? '');
    } catch (error) {
      if (error instanceof MoneyError) {
        throw new PermanentEventError(`SettlementFinalized: bad share amount: ${error.message}`);
      }
      throw error;
    }
  }
}
