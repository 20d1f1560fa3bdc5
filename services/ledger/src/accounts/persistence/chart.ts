import { randomUUID } from 'node:crypto';
import { type EntityManager } from '@mikro-orm/postgresql';
import { type AccountSpec } from '../domain/account';
import { AccountEntity } from './account.entity';

/** Adds accounts to a ledger in the caller's transaction (CreateLedger's default chart). */
export function persistChart(
  em: EntityManager,
  tenantId: string,
  ledgerId: string,
  chart: readonly AccountSpec[],
): AccountEntity[] {
  const createdAt = new Date();

  return chart.map((spec) =>
    em.create(AccountEntity, {
      id: randomUUID(),
      tenantId,
      ledgerId,
      code: spec.code,
      name: spec.name,
      type: spec.type,
      role: spec.role ?? null,
      balanceLimit: spec.balanceLimit ?? null,
      createdAt,
    }),
  );
}
