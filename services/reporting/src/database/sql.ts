import { type EntityManager, type Knex } from '@mikro-orm/postgresql';

export type Row = Record<string, unknown>;

/**
 * Runs SQL with server-side bound `?` parameters on the EntityManager's transaction if it is in
 * one, else on the pool. Numeric results come back as decimal strings (never JS numbers).
 */
export async function query<T extends Row>(
  em: EntityManager,
  sql: string,
  params: unknown[] = [],
): Promise<T[]> {
  const knex = em.getTransactionContext<Knex.Transaction>() ?? em.getConnection().getKnex();
  const result = await knex.raw<{ rows: T[] }>(sql, params as Knex.RawBinding[]);

  return result.rows;
}

export const json = (value: unknown): string => JSON.stringify(value);
