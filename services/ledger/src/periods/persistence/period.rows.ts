import { type EntityManager } from '@mikro-orm/postgresql';

// Periods live in plain SQL: months are keyed by (ledger, month), closings are computed set-wise
// from entry_lines, and every change holds the ledger row lock the posting engine also takes.

export interface FiscalYearRow {
  id: string;
  ledger_id: string;
  name: string;
}

export interface FiscalMonthRow {
  fiscal_year_id: string;
  month: string;
  status: 'open' | 'closed';
  // Raw queries may hand timestamptz back as text, depending on the driver's type parsers.
  closed_at: Date | string | null;
}

export interface JournalRow {
  id: string;
  fiscal_year_id: string;
  symbol: string;
  name: string;
  next_number: string;
}

export interface TurnoverRow {
  account_code: string;
  currency: string;
  opening_balance: string;
  debit: string;
  credit: string;
  closing_balance: string;
}

const MONTH_COLUMNS = `fiscal_year_id, to_char(month, 'YYYY-MM') AS month, status, closed_at`;
const JOURNAL_COLUMNS = `id, fiscal_year_id, symbol, name, next_number::text AS next_number`;

/** Locks the tenant's ledger row for the transaction; false when there is no such ledger. */
export async function lockLedger(
  em: EntityManager,
  tenantId: string,
  ledgerId: string,
): Promise<boolean> {
  const rows = await em.execute<{ id: string }[]>(
    'SELECT id FROM ledgers WHERE id = ? AND tenant_id = ? FOR UPDATE',
    [ledgerId, tenantId],
  );

  return rows.length > 0;
}

export async function ledgerExists(em: EntityManager, tenantId: string, ledgerId: string) {
  const rows = await em.execute<{ id: string }[]>(
    'SELECT id FROM ledgers WHERE id = ? AND tenant_id = ?',
    [ledgerId, tenantId],
  );

  return rows.length > 0;
}

export async function findFiscalYearByName(
  em: EntityManager,
  ledgerId: string,
  name: string,
): Promise<FiscalYearRow | undefined> {
  const rows = await em.execute<FiscalYearRow[]>(
    'SELECT id, ledger_id, name FROM fiscal_years WHERE ledger_id = ? AND name = ?',
    [ledgerId, name],
  );

  return rows[0];
}

export async function findFiscalYear(
  em: EntityManager,
  tenantId: string,
  fiscalYearId: string,
): Promise<FiscalYearRow | undefined> {
  const rows = await em.execute<FiscalYearRow[]>(
    'SELECT id, ledger_id, name FROM fiscal_years WHERE id = ? AND tenant_id = ?',
    [fiscalYearId, tenantId],
  );

  return rows[0];
}

/** The first month of [first, last] (ISO dates) that already belongs to a fiscal year. */
export async function firstTakenMonth(
  em: EntityManager,
  ledgerId: string,
  first: string,
  last: string,
): Promise<{ month: string; fiscal_year_name: string } | undefined> {
  const rows = await em.execute<{ month: string; fiscal_year_name: string }[]>(
    `SELECT to_char(m.month, 'YYYY-MM') AS month, y.name AS fiscal_year_name
       FROM fiscal_months m JOIN fiscal_years y ON y.id = m.fiscal_year_id
      WHERE m.ledger_id = ? AND m.month BETWEEN ?::date AND ?::date
      ORDER BY m.month LIMIT 1`,
    [ledgerId, first, last],
  );

  return rows[0];
}

export async function insertFiscalYear(
  em: EntityManager,
  year: {
    id: string;
    tenantId: string;
    ledgerId: string;
    name: string;
    first: string;
    last: string;
  },
): Promise<void> {
  await em.execute(
    `INSERT INTO fiscal_years (id, tenant_id, ledger_id, name, first_month, last_month, created_at)
     VALUES (?, ?, ?, ?, ?::date, ?::date, ?)`,
    [year.id, year.tenantId, year.ledgerId, year.name, year.first, year.last, new Date()],
    'run',
  );
  await em.execute(
    `INSERT INTO fiscal_months (ledger_id, month, tenant_id, fiscal_year_id, status)
     SELECT ?, m::date, ?, ?, 'open'
       FROM generate_series(?::date, ?::date, interval '1 month') AS m`,
    [year.ledgerId, year.tenantId, year.id, year.first, year.last],
    'run',
  );
}

export async function listFiscalYears(em: EntityManager, ledgerId: string) {
  return em.execute<FiscalYearRow[]>(
    `SELECT id, ledger_id, name FROM fiscal_years WHERE ledger_id = ?
      ORDER BY first_month, created_at, id`,
    [ledgerId],
  );
}

export async function listMonths(em: EntityManager, ledgerId: string) {
  return em.execute<FiscalMonthRow[]>(
    `SELECT ${MONTH_COLUMNS} FROM fiscal_months WHERE ledger_id = ? ORDER BY month`,
    [ledgerId],
  );
}

/** The month row, locked for the transaction. */
export async function lockMonth(
  em: EntityManager,
  ledgerId: string,
  month: string,
): Promise<FiscalMonthRow | undefined> {
  const rows = await em.execute<FiscalMonthRow[]>(
    `SELECT ${MONTH_COLUMNS} FROM fiscal_months WHERE ledger_id = ? AND month = ?::date
     FOR UPDATE`,
    [ledgerId, month],
  );

  return rows[0];
}

export async function setMonthStatus(
  em: EntityManager,
  ledgerId: string,
  month: string,
  status: 'open' | 'closed',
  at: Date,
) {
  const rows = await em.execute<FiscalMonthRow[]>(
    `UPDATE fiscal_months
        SET status = ?, closed_at = CASE WHEN ? = 'closed' THEN ?::timestamptz ELSE closed_at END
      WHERE ledger_id = ? AND month = ?::date
      RETURNING ${MONTH_COLUMNS}`,
    [status, status, at, ledgerId, month],
  );

  return rows[0];
}

export async function insertAudit(
  em: EntityManager,
  audit: {
    tenantId: string;
    ledgerId: string;
    month: string;
    action: 'closed' | 'reopened';
    reason: string | null;
    actor: string;
    at: Date;
  },
): Promise<void> {
  await em.execute(
    `INSERT INTO period_audit (tenant_id, ledger_id, month, action, reason, actor, at)
     VALUES (?, ?, ?::date, ?, ?, ?, ?)`,
    [
      audit.tenantId,
      audit.ledgerId,
      audit.month,
      audit.action,
      audit.reason,
      audit.actor,
      audit.at,
    ],
    'run',
  );
}

/**
 * Records, per account and currency of the ledger, the opening balance (all lines before the
 * month), the debit and credit turnover in it and the closing balance, replacing what an earlier
 * closing of the month recorded. One set-based statement over entry_lines.
 */
export async function recordClosing(
  em: EntityManager,
  tenantId: string,
  ledgerId: string,
  month: string,
): Promise<TurnoverRow[]> {
  await em.execute('DELETE FROM month_closings WHERE ledger_id = ? AND month = ?::date', [
    ledgerId,
    month,
  ]);
  await em.execute(
    `INSERT INTO month_closings
       (ledger_id, month, account_id, currency, tenant_id,
        opening_balance, debit, credit, closing_balance)
     SELECT ?, ?::date, t.account_id, t.currency, ?,
            t.opening, t.debit, t.credit, t.opening + t.debit - t.credit
       FROM (
         SELECT l.account_id, l.currency,
                coalesce(sum(CASE WHEN l.side = 'debit' THEN l.amount ELSE -l.amount END)
                  FILTER (WHERE l.entry_date < ?::date), 0) AS opening,
                coalesce(sum(l.amount)
                  FILTER (WHERE l.entry_date >= ?::date AND l.side = 'debit'), 0) AS debit,
                coalesce(sum(l.amount)
                  FILTER (WHERE l.entry_date >= ?::date AND l.side = 'credit'), 0) AS credit
           FROM entry_lines l
          WHERE l.ledger_id = ? AND l.entry_date < (?::date + interval '1 month')
          GROUP BY l.account_id, l.currency
       ) AS t`,
    [ledgerId, month, tenantId, month, month, month, ledgerId, month],
    'run',
  );

  return em.execute<TurnoverRow[]>(
    `SELECT a.code AS account_code, c.currency,
            c.opening_balance::text AS opening_balance, c.debit::text AS debit,
            c.credit::text AS credit, c.closing_balance::text AS closing_balance
       FROM month_closings c JOIN accounts a ON a.id = c.account_id
      WHERE c.ledger_id = ? AND c.month = ?::date
      ORDER BY a.code, c.currency`,
    [ledgerId, month],
  );
}

/** Journals of the fiscal year whose symbol or name equals (case-insensitively) the given ones. */
export async function findJournalClashes(
  em: EntityManager,
  fiscalYearId: string,
  symbol: string,
  name: string,
) {
  return em.execute<JournalRow[]>(
    `SELECT ${JOURNAL_COLUMNS} FROM journals
      WHERE fiscal_year_id = ? AND (lower(symbol) = lower(?) OR lower(name) = lower(?))
      ORDER BY (lower(symbol) = lower(?)) DESC`,
    [fiscalYearId, symbol, name, symbol],
  );
}

export async function insertJournal(
  em: EntityManager,
  journal: {
    id: string;
    tenantId: string;
    ledgerId: string;
    fiscalYearId: string;
    symbol: string;
    name: string;
  },
): Promise<JournalRow> {
  const rows = await em.execute<JournalRow[]>(
    `INSERT INTO journals (id, tenant_id, ledger_id, fiscal_year_id, symbol, name, created_at)
     VALUES (?, ?, ?, ?, ?, ?, ?)
     RETURNING ${JOURNAL_COLUMNS}`,
    [
      journal.id,
      journal.tenantId,
      journal.ledgerId,
      journal.fiscalYearId,
      journal.symbol,
      journal.name,
      new Date(),
    ],
  );

  return rows[0];
}

export async function listJournals(em: EntityManager, fiscalYearId: string) {
  return em.execute<JournalRow[]>(
    `SELECT ${JOURNAL_COLUMNS} FROM journals WHERE fiscal_year_id = ?
      ORDER BY lower(symbol), symbol`,
    [fiscalYearId],
  );
}
