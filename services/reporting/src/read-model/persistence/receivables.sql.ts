// The receivables open-item model (rm_invoices, rm_receivable_pools), kept current per consumed
// group. The rule is the ledger's (credit applied to the oldest invoices first): per customer and
// currency, an invoice is an entry of type invoice raising the receivable; the reversal of a
// listed invoice cancels it (lowers its amount); every other movement adds to the credit pool
// (lowering the balance) or takes from it. With `cum` the running invoiced amount in invoice
// order, an invoice's open amount is least(amount, greatest(0, cum − greatest(pool, 0))): the
// open invoices are the newest ones, found by an index range on cum.

const ORDER = `i.entry_date, i.number, i.journal_symbol, i.entry_id`;

/** The net effect of new entries on customers' receivable lines, one row per entry/customer/currency. */
export const RECEIVABLE_MOVES = `
  WITH new AS (
    SELECT * FROM json_to_recordset(?::json) AS t(version int, ledger_id uuid, entry_id uuid)
  )
  SELECT l.version, l.tenant_id, l.ledger_id, l.counterparty_id AS customer_id, l.currency,
    l.entry_id, to_char(l.entry_date, 'YYYY-MM-DD') AS entry_date, l.number::text AS number,
    l.journal_symbol, l.transaction_type, l.reverses_entry_id,
    to_char(coalesce(l.due_date, l.entry_date), 'YYYY-MM-DD') AS due,
    sum(CASE WHEN l.is_debit THEN l.amount ELSE -l.amount END)::text AS net
  FROM new
  JOIN rm_lines l ON l.version = new.version AND l.ledger_id = new.ledger_id
    AND l.entry_id = new.entry_id AND l.counterparty_id IS NOT NULL
  JOIN rm_accounts a ON a.version = l.version AND a.ledger_id = l.ledger_id
    AND a.code = l.account_code AND a.role = 'receivable'
  GROUP BY l.version, l.tenant_id, l.ledger_id, l.counterparty_id, l.currency, l.entry_id,
    l.entry_date, l.number, l.journal_symbol, l.transaction_type, l.reverses_entry_id, l.due_date`;

/** Invoices that the given reversals (may) cancel. */
export const REVERSED_INVOICES = `
  SELECT i.version, i.ledger_id, i.customer_id, i.currency, i.entry_id, i.amount::text,
    to_char(i.entry_date, 'YYYY-MM-DD') AS entry_date, i.number::text AS number, i.journal_symbol
  FROM json_to_recordset(?::json)
    AS r(version int, ledger_id uuid, customer_id uuid, currency text, entry_id uuid)
  JOIN rm_invoices i ON i.version = r.version AND i.ledger_id = r.ledger_id
    AND i.customer_id = r.customer_id AND i.currency = r.currency AND i.entry_id = r.entry_id`;

export const INSERT_INVOICES = `
  INSERT INTO rm_invoices (version, tenant_id, ledger_id, customer_id, currency, entry_id,
    entry_date, number, journal_symbol, due, amount, cum)
  SELECT version, tenant_id, ledger_id, customer_id, currency, entry_id, entry_date, number,
    journal_symbol, due, amount, 0
  FROM json_to_recordset(?::json) AS t(version int, tenant_id uuid, ledger_id uuid,
    customer_id uuid, currency text, entry_id uuid, entry_date date, number bigint,
    journal_symbol text, due date, amount numeric)
  ON CONFLICT DO NOTHING`;

export const CANCEL_INVOICES = `
  UPDATE rm_invoices i SET amount = i.amount - c.cancelled
  FROM json_to_recordset(?::json) AS c(version int, ledger_id uuid, customer_id uuid,
    currency text, entry_id uuid, cancelled numeric)
  WHERE i.version = c.version AND i.ledger_id = c.ledger_id AND i.customer_id = c.customer_id
    AND i.currency = c.currency AND i.entry_id = c.entry_id`;

export const UPSERT_POOLS = `
  INSERT INTO rm_receivable_pools AS p (version, tenant_id, ledger_id, customer_id, currency, pool,
    invoiced, last_date)
  SELECT version, tenant_id, ledger_id, customer_id, currency, delta, invoiced, last_date
  FROM json_to_recordset(?::json) AS t(version int, tenant_id uuid, ledger_id uuid,
    customer_id uuid, currency text, delta numeric, invoiced numeric, last_date date)
  ON CONFLICT (version, ledger_id, customer_id, currency) DO UPDATE
    SET pool = p.pool + excluded.pool, invoiced = p.invoiced + excluded.invoiced,
      last_date = greatest(p.last_date, excluded.last_date)`;

/** Recomputes cum of each group's invoices from the first changed one onwards. */
export const RECOMPUTE_CUM = `
  WITH d AS (
    SELECT * FROM json_to_recordset(?::json) AS t(version int, ledger_id uuid, customer_id uuid,
      currency text, from_date date, from_number bigint, from_symbol text, from_entry uuid)
  ),
  b AS (
    SELECT d.*, coalesce((
      SELECT i.cum FROM rm_invoices i
      WHERE i.version = d.version AND i.ledger_id = d.ledger_id AND i.customer_id = d.customer_id
        AND i.currency = d.currency
        AND (${ORDER}) < (d.from_date, d.from_number, d.from_symbol COLLATE "C", d.from_entry)
      ORDER BY i.entry_date DESC, i.number DESC, i.journal_symbol DESC, i.entry_id DESC
      LIMIT 1), 0) AS base
    FROM d
  ),
  r AS (
    SELECT i.version, i.ledger_id, i.customer_id, i.currency, i.entry_id,
      b.base + sum(i.amount) OVER (PARTITION BY i.version, i.ledger_id, i.customer_id, i.currency
        ORDER BY ${ORDER}) AS cum
    FROM b JOIN rm_invoices i ON i.version = b.version AND i.ledger_id = b.ledger_id
      AND i.customer_id = b.customer_id AND i.currency = b.currency
      AND (${ORDER}) >= (b.from_date, b.from_number, b.from_symbol COLLATE "C", b.from_entry)
  )
  UPDATE rm_invoices t SET cum = r.cum FROM r
  WHERE t.version = r.version AND t.ledger_id = r.ledger_id AND t.customer_id = r.customer_id
    AND t.currency = r.currency AND t.entry_id = r.entry_id AND t.cum IS DISTINCT FROM r.cum`;

/** Empties a ledger's open-item model before DERIVE_RECEIVABLES (two statements, two tables). */
export const CLEAR_RECEIVABLES = [
  `DELETE FROM rm_invoices WHERE version = ? AND ledger_id = ?`,
  `DELETE FROM rm_receivable_pools WHERE version = ? AND ledger_id = ?`,
];

/**
 * Derives a ledger's open-item model from its lines in one go (the same rule, set-based): used
 * when a receivable account becomes known after lines on it, and by the benchmark's loader.
 */
export const DERIVE_RECEIVABLES = `
  WITH p AS (SELECT ?::int AS version, ?::uuid AS ledger_id),
  moves AS (
    SELECT l.tenant_id, l.counterparty_id AS customer_id, l.currency, l.entry_id, l.entry_date,
      l.number, l.journal_symbol, l.transaction_type, l.reverses_entry_id,
      coalesce(l.due_date, l.entry_date) AS due,
      sum(CASE WHEN l.is_debit THEN l.amount ELSE -l.amount END) AS net
    FROM p
    JOIN rm_accounts a ON a.version = p.version AND a.ledger_id = p.ledger_id
      AND a.role = 'receivable'
    JOIN rm_lines l ON l.version = p.version AND l.ledger_id = p.ledger_id
      AND l.account_code = a.code AND l.counterparty_id IS NOT NULL
    GROUP BY l.tenant_id, l.counterparty_id, l.currency, l.entry_id, l.entry_date, l.number,
      l.journal_symbol, l.transaction_type, l.reverses_entry_id, l.due_date
  ),
  invoices AS (SELECT * FROM moves WHERE transaction_type = 'invoice' AND net > 0),
  cancels AS (
    SELECT m.customer_id, m.currency, m.reverses_entry_id AS entry_id, sum(-m.net) AS cancelled
    FROM moves m
    JOIN invoices i ON i.entry_id = m.reverses_entry_id AND i.customer_id = m.customer_id
      AND i.currency = m.currency
    WHERE m.net < 0
    GROUP BY m.customer_id, m.currency, m.reverses_entry_id
  ),
  items AS (
    SELECT i.*, greatest(i.net - coalesce(c.cancelled, 0), 0) AS amount,
      greatest(coalesce(c.cancelled, 0) - i.net, 0) AS excess
    FROM invoices i
    LEFT JOIN cancels c ON c.entry_id = i.entry_id AND c.customer_id = i.customer_id
      AND c.currency = i.currency
  ),
  credits AS (
    SELECT customer_id, currency, sum(credit) AS credit FROM (
      SELECT m.customer_id, m.currency, -m.net AS credit
      FROM moves m
      LEFT JOIN invoices i ON m.net < 0 AND i.entry_id = m.reverses_entry_id
        AND i.customer_id = m.customer_id AND i.currency = m.currency
      WHERE NOT (m.transaction_type = 'invoice' AND m.net > 0) AND i.entry_id IS NULL
      UNION ALL
      SELECT customer_id, currency, excess FROM items WHERE excess > 0
    ) all_credits
    GROUP BY customer_id, currency
  ),
  new_invoices AS (
    INSERT INTO rm_invoices (version, tenant_id, ledger_id, customer_id, currency, entry_id,
      entry_date, number, journal_symbol, due, amount, cum)
    SELECT p.version, it.tenant_id, p.ledger_id, it.customer_id, it.currency, it.entry_id,
      it.entry_date, it.number, it.journal_symbol, it.due, it.amount,
      sum(it.amount) OVER (PARTITION BY it.customer_id, it.currency
        ORDER BY it.entry_date, it.number, it.journal_symbol COLLATE "C", it.entry_id)
    FROM items it CROSS JOIN p
  )
  INSERT INTO rm_receivable_pools (version, tenant_id, ledger_id, customer_id, currency, pool,
    invoiced, last_date)
  SELECT p.version, m.tenant_id, p.ledger_id, m.customer_id, m.currency,
    coalesce(c.credit, 0), coalesce(inv.amount, 0), m.last_date
  FROM (
    SELECT tenant_id, customer_id, currency, max(entry_date) AS last_date FROM moves
    GROUP BY tenant_id, customer_id, currency
  ) m
  CROSS JOIN p
  LEFT JOIN credits c ON c.customer_id = m.customer_id AND c.currency = m.currency
  LEFT JOIN (
    SELECT customer_id, currency, sum(amount) AS amount FROM items GROUP BY customer_id, currency
  ) inv ON inv.customer_id = m.customer_id AND inv.currency = m.currency`;
