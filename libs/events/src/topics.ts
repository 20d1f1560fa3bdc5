import { defineTopic, type TopicDefinition } from '@kontor/kafka';
import { EntryPostedSchema } from '@kontor/contracts/events/v1/entry_events_pb';
import {
  CreditNoteIssuedSchema,
  InvoiceIssuedSchema,
} from '@kontor/contracts/events/v1/invoice_events_pb';
import {
  AccountCreatedSchema,
  LedgerCreatedSchema,
  OrganizationCreatedSchema,
} from '@kontor/contracts/events/v1/ledger_events_pb';
import {
  ChargebackReceivedSchema,
  PaymentCapturedSchema,
  PaymentRefundedSchema,
} from '@kontor/contracts/events/v1/payment_events_pb';
import { SettlementFinalizedSchema } from '@kontor/contracts/events/v1/settlement_events_pb';
import {
  ApiKeyIssuedSchema,
  ApiKeyRevokedSchema,
} from '@kontor/contracts/events/v1/tenant_events_pb';

// The catalogue of Kontor's topics: one definition shared by producers and consumers, so a topic's
// name, partitions and message types cannot drift between services.

/**
 * Ledger lifecycle and master data (ledgers and their accounts keyed by ledger id, organizations
 * by organization id). Producer: ledger. Consumers: reporting.
 */
export const LEDGER_LEDGERS_TOPIC = defineTopic({
  name: 'ledger.ledgers.v1',
  partitions: 3,
  messages: [LedgerCreatedSchema, AccountCreatedSchema, OrganizationCreatedSchema],
});

/**
 * API keys, keyed by tenant id so issue and revoke stay in order. Producer: ledger. Consumers:
 * every other service, into its own replica of key hashes. Kept forever: a new replica replays it.
 */
export const LEDGER_TENANTS_TOPIC = defineTopic({
  name: 'ledger.tenants.v1',
  partitions: 3,
  messages: [ApiKeyIssuedSchema, ApiKeyRevokedSchema],
  config: { 'retention.ms': '-1' },
});

/**
 * Every posted entry, keyed by ledger id so one ledger's entries keep their order. Producer:
 * ledger. Consumers: deals (scope data), reporting (read models).
 */
export const LEDGER_ENTRIES_TOPIC = defineTopic({
  name: 'ledger.entries.v1',
  partitions: 6,
  messages: [EntryPostedSchema],
});

/**
 * Payments captured, refunded and charged back, keyed by order id. Producers: order systems.
 * Consumer: ledger (posting rules into the vendor's primary ledger).
 */
export const PAYMENTS_EVENTS_TOPIC = defineTopic({
  name: 'payments.events.v1',
  partitions: 6,
  messages: [PaymentCapturedSchema, PaymentRefundedSchema, ChargebackReceivedSchema],
});

/**
 * Invoices and credit notes, keyed by customer external id so a customer's documents stay in
 * order. Producers: billing systems. Consumer: ledger.
 */
export const BILLING_INVOICES_TOPIC = defineTopic({
  name: 'billing.invoices.v1',
  partitions: 6,
  messages: [InvoiceIssuedSchema, CreditNoteIssuedSchema],
});

/**
 * Finalized deal settlements, keyed by deal id so a deal's periods stay in order. Producer:
 * deals. Consumer: ledger (payable and receivable entries in the parties' primary ledgers).
 */
export const DEALS_SETTLEMENTS_TOPIC = defineTopic({
  name: 'deals.settlements.v1',
  partitions: 3,
  messages: [SettlementFinalizedSchema],
});

/** Every topic of the catalogue (their dead-letter topics are derived from these). */
export const ALL_TOPICS: readonly TopicDefinition[] = [
  LEDGER_LEDGERS_TOPIC,
  LEDGER_TENANTS_TOPIC,
  LEDGER_ENTRIES_TOPIC,
  PAYMENTS_EVENTS_TOPIC,
  BILLING_INVOICES_TOPIC,
  DEALS_SETTLEMENTS_TOPIC,
];

/**
 * The topics each service consumes, as its modules bind them (`consumeTopic`, and the API key
 * replica of every service but the ledger). Its consumer groups are `<service>.<topic>`.
 */
export const CONSUMED_TOPICS = {
  ledger: [PAYMENTS_EVENTS_TOPIC.name, BILLING_INVOICES_TOPIC.name, DEALS_SETTLEMENTS_TOPIC.name],
  import: [LEDGER_TENANTS_TOPIC.name],
  deals: [LEDGER_ENTRIES_TOPIC.name, LEDGER_LEDGERS_TOPIC.name, LEDGER_TENANTS_TOPIC.name],
  reporting: [
    LEDGER_ENTRIES_TOPIC.name,
    LEDGER_LEDGERS_TOPIC.name,
    LEDGER_TENANTS_TOPIC.name,
    DEALS_SETTLEMENTS_TOPIC.name,
  ],
} as const satisfies Record<string, readonly string[]>;
