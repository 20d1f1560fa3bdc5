import { type EntityManager } from '@mikro-orm/postgresql';
import { effectiveRules, type PostingRulesChange } from '../../posting-rules/domain/posting-rules';
import { type PartyBook } from '../domain/settlement-entries';

/**
 * The primary ledger of each organization (of the tenant) that has one, with the journal its
 * settlement entries go to: the ledger's posting-rules `sales` journal (SALES by default),
 * which a ledger can change through PostingRuleService.
 */
export async function partyBooks(
  em: EntityManager,
  tenantId: string,
  organizationIds: string[],
): Promise<Map<string, PartyBook>> {
  const rows = await em.execute<
    { id: string; ledger_id: string; journals: PostingRulesChange['journals'] | null }[]
  >(
    `SELECT o.id, o.primary_ledger_id AS ledger_id, r.journals
       FROM organizations o LEFT JOIN posting_rules r ON r.ledger_id = o.primary_ledger_id
      WHERE o.tenant_id = ? AND o.primary_ledger_id IS NOT NULL
        AND o.id IN (SELECT value::uuid FROM json_array_elements_text(?::json))`,
    [tenantId, JSON.stringify(organizationIds)],
  );

  return new Map(
    rows.map((row) => [
      row.id,
      {
        ledgerId: row.ledger_id,
        journalSymbol: effectiveRules({ journals: row.journals ?? {} }).journals.sales,
      },
    ]),
  );
}
