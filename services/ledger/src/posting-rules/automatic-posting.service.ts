import { Injectable } from '@nestjs/common';
import { type EntityManager } from '@mikro-orm/postgresql';
import { type BILLING_INVOICES_TOPIC, type PAYMENTS_EVENTS_TOPIC } from '@kontor/events';
import { PermanentEventError, type TopicEvent } from '@kontor/kafka';
import { PostingService } from '../entries/posting.service';
import { draftToEntryInput } from './domain/draft-to-input';
import { type EntryDraft } from './domain/entry-draft';
import { billingEntry } from './domain/invoice-entries';
import { capturedPaymentEntries, returnedPaymentEntry } from './domain/payment-entries';
import { resolveEventParties } from './persistence/event-parties.repository';
import { PostingRulesService } from './posting-rules.service';
import { toBillingDocument, toCapturedPayment, toReturnedPayment } from './transport/event-mappers';

type PaymentEvent = TopicEvent<typeof PAYMENTS_EVENTS_TOPIC>;
type BillingEvent = TopicEvent<typeof BILLING_INVOICES_TOPIC>;

/**
 * Turns payment and billing events into entries in the primary ledger of the organization they
 * name. Runs inside the consumer's inbox transaction: the event's entries, its inbox row and the
 * outbox rows of EntryPosted commit together or not at all, so an event posts exactly once.
 */
@Injectable()
export class AutomaticPostingService {
  constructor(
    private readonly posting: PostingService,
    private readonly postingRules: PostingRulesService,
  ) {}

  async applyPaymentEvent(event: PaymentEvent, em: EntityManager): Promise<void> {
    const message = event.message;
    const parties = await resolveEventParties(
      em,
      message.tenantId,
      message.vendorExternalId,
      message.customerExternalId,
    );
    const rules = await this.postingRules.rulesFor(em, parties.ledgerId);
    let drafts: EntryDraft[];
    switch (message.$typeName) {
      case 'kontor.events.v1.PaymentCaptured':
        drafts = capturedPaymentEntries(
          toCapturedPayment(event.id, message, parties.customerId),
          rules,
        );
        break;
      case 'kontor.events.v1.PaymentRefunded':
        drafts = [
          returnedPaymentEntry(
            'refund',
            toReturnedPayment(event.id, message, parties.customerId),
            rules,
          ),
        ];
        break;
      case 'kontor.events.v1.ChargebackReceived':
        drafts = [
          returnedPaymentEntry(
            'chargeback',
            toReturnedPayment(event.id, message, parties.customerId),
            rules,
          ),
        ];
        break;
    }
    await this.post(em, message.tenantId, parties.ledgerId, drafts, event);
  }

  async applyBillingEvent(event: BillingEvent, em: EntityManager): Promise<void> {
    const message = event.message;
    const parties = await resolveEventParties(
      em,
      message.tenantId,
      message.issuerExternalId,
      message.customerExternalId,
    );
    const rules = await this.postingRules.rulesFor(em, parties.ledgerId);
    const kind = message.$typeName === 'kontor.events.v1.InvoiceIssued' ? 'invoice' : 'credit_note';
    const document = toBillingDocument(event.id, message, parties.customerId);
    await this.post(
      em,
      message.tenantId,
      parties.ledgerId,
      [billingEntry(kind, document, rules)],
      event,
    );
  }

  private async post(
    em: EntityManager,
    tenantId: string,
    ledgerId: string,
    drafts: EntryDraft[],
    event: PaymentEvent | BillingEvent,
  ): Promise<void> {
    const results = await this.posting.post(
      tenantId,
      drafts.map((draft) => draftToEntryInput(ledgerId, draft)),
      { postedBy: `event:${event.topic}/${event.id}`, source: 'event', em },
    );
    const rejected = results.find((result) => !result.ok);
    if (rejected && !rejected.ok) {
      // Throwing rolls back the event's other entries too: an event posts whole or not at all.
      throw new PermanentEventError(
        `${event.type} ${event.id} cannot be posted into ledger ${ledgerId}: ${rejected.error.message}`,
        { cause: rejected.error },
      );
    }
  }
}
