import { type EntityManager, type Knex } from '@mikro-orm/postgresql';

export type Row = Record<string, unknown>;

/** Runs SQL (`?` placeholders, bound server-side) on the transaction's connection, if any. */
export async function rows<T extends Row>(
  em: EntityManager,
  sql: string,
  params: unknown[],
): Promise<T[]> {
  const knex = em.getTransactionContext<Knex.Transaction>() ?? em.getConnection().getKnex();
  const result = await knex.raw<{ rows: T[] }>(sql, params as Knex.RawBinding[]);

  return result.rows;
}

/** A list parameter as JSON, to be read with `textList('?')` (knex would expand a JS array). */
export const jsonList = (values: readonly string[]): string => JSON.stringify([...values]);

/** `SELECT` of the texts of a JSON array parameter, for `= ANY(...)` / `IN (...)`. */
export const textList = (placeholder = '?') =>
  `(SELECT json_array_elements_text(${placeholder}::json))`;

/**
 * A Postgres array literal of texts ('{"a","b"}'), to bind as `?::text[]` / `?::uuid[]`: an
 * array parameter lets the planner use `= ANY(...)` directly (a JSON list read through a subquery
 * costs 5× more per row on a million-line aggregate).
 */
export function pgArray(values: readonly string[]): string {
  return `{${values.map((value) => `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`).join(',')}}`;
}
