import { type EntityManager } from '@mikro-orm/postgresql';
import { PermanentEventError } from '@kontor/kafka';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export interface EventParties {
  /** Primary ledger of the organization the event belongs to (vendor or issuer). */
  ledgerId: string;
  /** The customer organization, named on receivable lines. */
  customerId: string;
}

/**
 * Resolves the organizations an event names by external id, inside the consumer's transaction.
 * What cannot be resolved is permanent until someone fixes the data (creates the organization,
 * assigns a primary ledger) and replays the dead letter.
 */
export async function resolveEventParties(
  em: EntityManager,
  tenantId: string,
  ownerExternalId: string,
  customerExternalId: string,
): Promise<EventParties> {
  if (!UUID.test(tenantId)) throw new PermanentEventError(`tenant_id: "${tenantId}" is not a UUID`);
  const rows = await em.execute<
    { external_id: string; id: string; primary_ledger_id: string | null }[]
  >(
    `SELECT external_id, id, primary_ledger_id FROM organizations
      WHERE tenant_id = ? AND external_id IN (?, ?)`,
    [tenantId, ownerExternalId, customerExternalId],
  );
  const byExternalId = new Map(rows.map((row) => [row.external_id, row]));
  const owner = byExternalId.get(ownerExternalId);
  const customer = byExternalId.get(customerExternalId);
  if (!owner) {
    throw new PermanentEventError(
      `organization "${ownerExternalId}" does not exist in tenant ${tenantId}`,
    );
  }
  if (!owner.primary_ledger_id) {
    throw new PermanentEventError(
      `organization "${ownerExternalId}" has no primary ledger to post into`,
    );
  }
  if (!customer) {
    throw new PermanentEventError(
      `customer "${customerExternalId}" does not exist in tenant ${tenantId}`,
    );
  }

  return { ledgerId: owner.primary_ledger_id, customerId: customer.id };
}
