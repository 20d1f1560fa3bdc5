import { Injectable } from '@nestjs/common';
import { type EntityManager } from '@mikro-orm/postgresql';
import { type BILLING_INVOICES_TOPIC, type PAYMENTS_EVENTS_TOPIC } from '@kontor/events';
import { PermanentEventError, type TopicEvent } from '@kontor/kafka';
import { MAX_ENTRIES_PER_BATCH, type EntryInput } from '../entries/domain/entry';
import { PostingService } from '../entries/posting.service';
import { draftToEntryInput } from './domain/draft-to-input';
import { type EntryDraft } from './domain/entry-draft';
import { billingEntry } from './domain/invoice-entries';
import { capturedPaymentEntries, returnedPaymentEntries } from './domain/payment-entries';
import { type PostingRules } from './domain/posting-rules';
import { resolveEventParties } from './persistence/event-parties.repository';
import { PostingRulesService } from './posting-rules.service';
import { toBillingDocument, toCapturedPayment, toReturnedPayment } from './transport/event-mappers';

type PaymentEvent = TopicEvent<typeof PAYMENTS_EVENTS_TOPIC>;
type BillingEvent = TopicEvent<typeof BILLING_INVOICES_TOPIC>;
type PostingEvent = PaymentEvent | BillingEvent;

/** An event's entries, ready for the posting engine. */
interface EventEntries {
  tenantId: string;
  ledgerId: string;
  inputs: EntryInput[];
}

/**
 * Turns payment and billing events into entries in the primary ledger of the organization they
 * name. Runs inside the consumer's inbox transaction: the events' entries, their inbox rows and
 * the outbox rows of EntryPosted commit together or not at all, so an event posts exactly once.
 * A group of events posts with one call per tenant; if any entry of the group is rejected, the
 * group fails and the consumer applies its events one by one, so only the culprit is
 * dead-lettered.
 */
@Injectable()
export class AutomaticPostingService {
  constructor(
    private readonly posting: PostingService,
    private readonly postingRules: PostingRulesService,
  ) {}

  async apply(event: PostingEvent, em: EntityManager): Promise<void> {
    await this.post(em, [await this.entriesOf(event, em, new Map())]);
  }

  async applyGroup(events: PostingEvent[], em: EntityManager): Promise<void> {
    const rulesByLedger = new Map<string, PostingRules>();
    const entries: EventEntries[] = [];
    for (const event of events) entries.push(await this.entriesOf(event, em, rulesByLedger));
    await this.post(em, entries);
  }

  private async entriesOf(
    event: PostingEvent,
    em: EntityManager,
    rulesByLedger: Map<string, PostingRules>,
  ): Promise<EventEntries> {
    const message = event.message;
    const billing =
      message.$typeName === 'kontor.events.v1.InvoiceIssued' ||
      message.$typeName === 'kontor.events.v1.CreditNoteIssued';
    const parties = await resolveEventParties(
      em,
      message.tenantId,
      billing ? message.issuerExternalId : message.vendorExternalId,
      message.customerExternalId,
    );
    let rules = rulesByLedger.get(parties.ledgerId);
    if (!rules) {
      rules = await this.postingRules.rulesFor(em, parties.ledgerId);
      rulesByLedger.set(parties.ledgerId, rules);
    }
    const drafts = this.draftsOf(event, parties.customerId, rules);

    return {
      tenantId: message.tenantId,
      ledgerId: parties.ledgerId,
      inputs: drafts.map((draft) => draftToEntryInput(parties.ledgerId, draft)),
    };
  }

  private draftsOf(event: PostingEvent, customerId: string, rules: PostingRules): EntryDraft[] {
    const message = event.message;
    switch (message.$typeName) {
      case 'kontor.events.v1.PaymentCaptured':
        return capturedPaymentEntries(toCapturedPayment(event.id, message, customerId), rules);
      case 'kontor.events.v1.PaymentRefunded':
        return returnedPaymentEntries(
          'refund',
          toReturnedPayment(event.id, message, customerId),
          rules,
        );
      case 'kontor.events.v1.ChargebackReceived':
        return returnedPaymentEntries(
          'chargeback',
          toReturnedPayment(event.id, message, customerId),
          rules,
        );
      case 'kontor.events.v1.InvoiceIssued':
        return [billingEntry('invoice', toBillingDocument(event.id, message, customerId), rules)];
      case 'kontor.events.v1.CreditNoteIssued':
        return [
          billingEntry('credit_note', toBillingDocument(event.id, message, customerId), rules),
        ];
    }
  }

  private async post(em: EntityManager, entries: EventEntries[]): Promise<void> {
    const byTenant = new Map<string, EntryInput[]>();
    for (const { tenantId, inputs } of entries) {
      byTenant.set(tenantId, [...(byTenant.get(tenantId) ?? []), ...inputs]);
    }
    for (const [tenantId, inputs] of byTenant) {
      for (let start = 0; start < inputs.length; start += MAX_ENTRIES_PER_BATCH) {
        // The entry's idempotency key names its event (`<event id>:sale`); posted_by the consumer.
        const results = await this.posting.post(
          tenantId,
          inputs.slice(start, start + MAX_ENTRIES_PER_BATCH),
          {
            postedBy: 'event:automatic-posting',
            source: 'event',
            em,
          },
        );
        const rejected = results.find((result) => !result.ok);
        if (rejected && !rejected.ok) {
          // Throwing rolls back the events' other entries too: an event posts whole or not at all.
          throw new PermanentEventError(`an entry cannot be posted: ${rejected.error.message}`, {
            cause: rejected.error,
          });
        }
      }
    }
  }
}
