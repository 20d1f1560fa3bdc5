import { Injectable } from '@nestjs/common';
import { MikroORM, type EntityManager } from '@mikro-orm/postgresql';
import { symbolProblem } from '../periods/domain/journal';
import { PostingRulesError, PostingRulesErrorCode } from './domain/posting-rules.errors';
import {
  effectiveRules,
  type PostingAccounts,
  type PostingJournals,
  type PostingRules,
  type PostingRulesChange,
} from './domain/posting-rules';

interface StoredRules {
  accounts: Partial<PostingAccounts>;
  journals: Partial<PostingJournals>;
}

/** Proto field names of the settings, for error messages that name the field. */
export const ACCOUNT_FIELDS: Record<keyof PostingAccounts, string> = {
  clearing: 'clearing_account',
  receivable: 'receivable_account',
  revenue: 'revenue_account',
  tax: 'tax_account',
  marketplaceFees: 'marketplace_fee_account',
  chargebackFees: 'chargeback_fee_account',
};
export const JOURNAL_FIELDS: Record<keyof PostingJournals, string> = {
  payments: 'payments_journal',
  sales: 'sales_journal',
};

@Injectable()
export class PostingRulesService {
  constructor(private readonly orm: MikroORM) {}

  /** The rules the ledger's automatic postings use now (inside the consumer's transaction). */
  async rulesFor(em: EntityManager, ledgerId: string): Promise<PostingRules> {
    const [stored] = await em.execute<StoredRules[]>(
      'SELECT accounts, journals FROM posting_rules WHERE ledger_id = ?',
      [ledgerId],
    );

    return effectiveRules(stored ?? {});
  }

  async get(tenantId: string, ledgerId: string): Promise<PostingRules> {
    const em = this.orm.em.fork();
    await requireLedger(em, tenantId, ledgerId);

    return this.rulesFor(em, ledgerId);
  }

  async set(
    tenantId: string,
    ledgerId: string,
    change: PostingRulesChange,
    actor: string,
  ): Promise<PostingRules> {
    for (const [key, symbol] of Object.entries(change.journals ?? {})) {
      const problem = symbol ? symbolProblem(symbol) : undefined;
      if (problem) {
        const field = JOURNAL_FIELDS[key as keyof PostingJournals];
        throw new PostingRulesError(
          PostingRulesErrorCode.INVALID_JOURNAL_SYMBOL,
          `${field}: ${problem}`,
          {
            fieldViolations: [{ field, description: problem }],
          },
        );
      }
    }

    return this.orm.em.fork().transactional(async (em) => {
      await requireLedger(em, tenantId, ledgerId);
      await requireAccounts(em, ledgerId, change.accounts ?? {});
      const next = effectiveRules(change, await this.rulesFor(em, ledgerId));
      await em.execute(
        `INSERT INTO posting_rules (ledger_id, tenant_id, accounts, journals, updated_at, updated_by)
         VALUES (?, ?, ?, ?, now(), ?)
         ON CONFLICT (ledger_id) DO UPDATE SET accounts = excluded.accounts,
           journals = excluded.journals, updated_at = excluded.updated_at, updated_by = excluded.updated_by`,
        [ledgerId, tenantId, JSON.stringify(next.accounts), JSON.stringify(next.journals), actor],
      );

      return next;
    });
  }
}

async function requireLedger(em: EntityManager, tenantId: string, ledgerId: string): Promise<void> {
  const rows = await em.execute<unknown[]>('SELECT 1 FROM ledgers WHERE id = ? AND tenant_id = ?', [
    ledgerId,
    tenantId,
  ]);
  if (rows.length === 0) {
    throw new PostingRulesError(
      PostingRulesErrorCode.LEDGER_NOT_FOUND,
      `ledger ${ledgerId} not found`,
      {
        fieldViolations: [{ field: 'ledger_id', description: 'no such ledger for this tenant' }],
      },
    );
  }
}

async function requireAccounts(
  em: EntityManager,
  ledgerId: string,
  accounts: Partial<PostingAccounts>,
): Promise<void> {
  const named = Object.entries(accounts).filter(
    ([, code]) => typeof code === 'string' && code !== '',
  );
  if (named.length === 0) return;
  const rows = await em.execute<{ code: string }[]>(
    'SELECT code FROM accounts WHERE ledger_id = ? AND code IN (?)',
    [ledgerId, named.map(([, code]) => code)],
  );
  const existing = new Set(rows.map((row) => row.code));
  const missing = named.filter(([, code]) => !existing.has(code));
  if (missing.length > 0) {
    const violations = missing.map(([key, code]) => ({
      field: ACCOUNT_FIELDS[key as keyof PostingAccounts],
      description: `account "${code}" does not exist in this ledger`,
    }));
    throw new PostingRulesError(
      PostingRulesErrorCode.ACCOUNT_NOT_FOUND,
      violations.map((v) => `${v.field}: ${v.description}`).join('; '),
      { fieldViolations: violations },
    );
  }
}
