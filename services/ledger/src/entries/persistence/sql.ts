import { type EntityManager, type Knex } from '@mikro-orm/postgresql';

export const json = (value: unknown): string => JSON.stringify(value);
export const ids = (values: Iterable<string>): string => json([...new Set(values)]);

export type Row = Record<string, unknown>;

/**
 * Runs SQL on the transaction's connection with server-side bound parameters. (em.execute
 * would inline every parameter into the SQL text client-side: ~50 ms per 1000-entry batch.)
 */
export async function rows<T extends Row>(
  em: EntityManager,
  sql: string,
  params: unknown[],
): Promise<T[]> {
  const knex = em.getTransactionContext<Knex.Transaction>() ?? em.getConnection().getKnex();
  const result = await knex.raw<{ rows: T[] }>(sql, params as Knex.RawBinding[]);

  return result.rows;
}

/** `column IN (the uuids of a json array parameter)`. */
export const inList = (column: string) =>
  `${column} IN (SELECT value::uuid FROM json_array_elements_text(?::json))`;
