import { type EntityManager, type Knex } from '@mikro-orm/postgresql';

export type Row = Record<string, unknown>;

/** Runs SQL with server-side bound parameters (`?`), on the transaction's connection if any. */
export async function rows<T extends Row>(
  em: EntityManager,
  sql: string,
  params: unknown[] = [],
): Promise<T[]> {
  const knex = em.getTransactionContext<Knex.Transaction>() ?? em.getConnection().getKnex();
  const result = await knex.raw<{ rows: T[] }>(sql, params as Knex.RawBinding[]);

  return result.rows;
}
