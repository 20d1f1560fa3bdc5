import { BILLING_INVOICES_TOPIC, PAYMENTS_EVENTS_TOPIC } from '@kontor/events';

/** The topics the ledger posts from automatically. */
export const CONSUMED_TOPICS = [PAYMENTS_EVENTS_TOPIC, BILLING_INVOICES_TOPIC] as const;
