// The receivables open-item model (rm_invoices, rm_receivable_pools, rm_open_dues), kept current
// per consumed group. The rule is the ledger's (credit applied to the oldest invoices first): per
// customer and currency, an invoice is an entry of type invoice raising the receivable; the
// reversal of a listed invoice cancels it (lowers its amount); every other movement adds to the
// credit pool (lowering the balance) or takes from it. With `cum` the running invoiced amount in
// invoice order, an invoice's open amount is least(amount, greatest(0, cum − greatest(pool, 0))):
// the open invoices are the newest ones. Each invoice keeps its current open amount, and
// rm_open_dues their sums per due date, so the aging of "now" reads a few rows per customer.

const ORDER = `i.entry_date, i.number, i.journal_symbol, i.entry_id`;

/** Invoices that the given reversals (may) cancel. */
export const REVERSED_INVOICES = `
  SELECT i.version, i.ledger_id, i.customer_id, i.currency, i.entry_id, i.amount::text,
    to_char(i.entry_date, 'YYYY-MM-DD') AS entry_date, i.number::text AS number, i.journal_symbol
  FROM json_to_recordset(?::json)
    AS r(version int, ledger_id uuid, customer_id uuid, currency text, entry_id uuid)
  JOIN rm_invoices i ON i.version = r.version AND i.ledger_id = r.ledger_id
    AND i.customer_id = r.customer_id AND i.currency = r.currency AND i.entry_id = r.entry_id`;

/** New invoices, with cum and open amount 0 until RECOMPUTE_CUM and REFRESH_OPEN_DUES. */
export const INSERT_INVOICES = `
  INSERT INTO rm_invoices (version, tenant_id, ledger_id, customer_id, currency, entry_id,
    entry_date, number, journal_symbol, due, amount, cum, open)
  SELECT version, tenant_id, ledger_id, customer_id, currency, entry_id, entry_date, number,
    journal_symbol, due, amount, 0, 0
  FROM json_to_recordset(?::json) AS t(version int, tenant_id uuid, ledger_id uuid,
    customer_id uuid, currency text, entry_id uuid, entry_date date, number bigint,
    journal_symbol text, due date, amount numeric)
  ON CONFLICT DO NOTHING`;

/** Lowers reversed invoices (several reversals of one invoice in a batch add up). */
export const CANCEL_INVOICES = `
  UPDATE rm_invoices i SET amount = i.amount - c.cancelled
  FROM (
    SELECT version, ledger_id, customer_id, currency, entry_id, sum(cancelled) AS cancelled
    FROM json_to_recordset(?::json) AS t(version int, ledger_id uuid, customer_id uuid,
      currency text, entry_id uuid, cancelled numeric)
    GROUP BY version, ledger_id, customer_id, currency, entry_id
  ) c
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

/**
 * Recomputes cum of each group's invoices from the first changed one onwards. Materialized: each
 * group's base is looked up once, and the new sums are computed before rows are matched.
 */
export const RECOMPUTE_CUM = `
  WITH d AS (
    SELECT * FROM json_to_recordset(?::json) AS t(version int, ledger_id uuid, customer_id uuid,
      currency text, from_date date, from_number bigint, from_symbol text, from_entry uuid)
  ),
  b AS MATERIALIZED (
    SELECT d.*, coalesce((
      SELECT i.cum FROM rm_invoices i
      WHERE i.version = d.version AND i.ledger_id = d.ledger_id AND i.customer_id = d.customer_id
        AND i.currency = d.currency
        AND (${ORDER}) < (d.from_date, d.from_number, d.from_symbol COLLATE "C", d.from_entry)
      ORDER BY i.entry_date DESC, i.number DESC, i.journal_symbol DESC, i.entry_id DESC
      LIMIT 1), 0) AS base
    FROM d
  ),
  r AS MATERIALIZED (
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

const GROUP = `i.version = g.version AND i.ledger_id = g.ledger_id
  AND i.customer_id = g.customer_id AND i.currency = g.currency`;

/**
 * Brings the stored open amounts of the given groups' invoices up to date (after their invoices,
 * cancellations, pool and cum changed) and adds the differences to rm_open_dues. Only invoices
 * whose open amount can have changed are read, through two partial indexes: those not open in
 * full that now lie above the credit (cum > covered), and those open that the credit may now
 * reach, up to the first invoice whose cum reaches the credit (cum is ascending in invoice
 * order). A row changed meanwhile by another transaction (open <> was) is left to it. The
 * groups and candidates are materialized so each group's index ranges are read once.
 */
export const REFRESH_OPEN_DUES = `
  WITH g AS MATERIALIZED (
    SELECT d.*, p.tenant_id, greatest(p.pool, 0) AS covered,
      (SELECT i.cum FROM rm_invoices i
       WHERE i.version = d.version AND i.ledger_id = d.ledger_id
         AND i.customer_id = d.customer_id AND i.currency = d.currency
         AND i.cum >= greatest(p.pool, 0)
       ORDER BY i.cum LIMIT 1) AS reach
    FROM json_to_recordset(?::json)
      AS d(version int, ledger_id uuid, customer_id uuid, currency text)
    JOIN rm_receivable_pools p ON p.version = d.version AND p.ledger_id = d.ledger_id
      AND p.customer_id = d.customer_id AND p.currency = d.currency
  ),
  candidates AS MATERIALIZED (
    SELECT g.version, g.tenant_id, g.ledger_id, g.customer_id, g.currency, i.entry_id, i.due,
      i.open AS was, greatest(0, least(i.amount, i.cum - g.covered)) AS now
    FROM g CROSS JOIN LATERAL (
      SELECT i.entry_id, i.due, i.open, i.amount, i.cum FROM rm_invoices i
      WHERE ${GROUP} AND i.open <> i.amount AND i.cum > g.covered
      UNION
      SELECT i.entry_id, i.due, i.open, i.amount, i.cum FROM rm_invoices i
      WHERE ${GROUP} AND i.open > 0 AND i.cum <= coalesce(g.reach, 'Infinity')
    ) i
  ),
  changed AS (
    UPDATE rm_invoices t SET open = c.now
    FROM candidates c
    WHERE c.now <> c.was AND t.version = c.version AND t.ledger_id = c.ledger_id
      AND t.customer_id = c.customer_id AND t.currency = c.currency AND t.entry_id = c.entry_id
      AND t.open = c.was
    RETURNING c.version, c.tenant_id, c.ledger_id, c.customer_id, c.currency, c.due,
      c.now - c.was AS delta
  )
  INSERT INTO rm_open_dues AS o (version, tenant_id, ledger_id, customer_id, currency, due, open)
  SELECT version, tenant_id, ledger_id, customer_id, currency, due, sum(delta)
  FROM changed
  GROUP BY version, tenant_id, ledger_id, customer_id, currency, due
  ON CONFLICT (version, ledger_id, customer_id, currency, due)
    DO UPDATE SET open = o.open + excluded.open`;

/** Removes the due dates of the given groups that nothing is open on any more. */
export const DROP_CLOSED_DUES = `
  DELETE FROM rm_open_dues o
  USING json_to_recordset(?::json)
    AS g(version int, ledger_id uuid, customer_id uuid, currency text)
  WHERE o.version = g.version AND o.ledger_id = g.ledger_id AND o.customer_id = g.customer_id
    AND o.currency = g.currency AND o.open = 0`;

/** Empties a ledger's open-item model before DERIVE_RECEIVABLES (one statement per table). */
export const CLEAR_RECEIVABLES = [
  `DELETE FROM rm_invoices WHERE version = ? AND ledger_id = ?`,
  `DELETE FROM rm_receivable_pools WHERE version = ? AND ledger_id = ?`,
  `DELETE FROM rm_open_dues WHERE version = ? AND ledger_id = ?`,
];

const DERIVE_INVOICES_AND_POOLS = `
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
      entry_date, number, journal_symbol, due, amount, cum, open)
    SELECT p.version, it.tenant_id, p.ledger_id, it.customer_id, it.currency, it.entry_id,
      it.entry_date, it.number, it.journal_symbol, it.due, it.amount, it.cum,
      greatest(0, least(it.amount, it.cum - greatest(coalesce(c.credit, 0), 0)))
    FROM (
      SELECT items.*, sum(amount) OVER (PARTITION BY customer_id, currency
        ORDER BY entry_date, number, journal_symbol COLLATE "C", entry_id) AS cum
      FROM items
    ) it
    CROSS JOIN p
    LEFT JOIN credits c ON c.customer_id = it.customer_id AND c.currency = it.currency
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

/**
 * Derives a ledger's open-item model from its lines in one go (the same rule, set-based): used
 * when a receivable account becomes known after lines on it, and by the benchmark's loader. Two
 * statements, the second reading what the first wrote; each takes (version, ledger id).
 */
export const DERIVE_RECEIVABLES = [
  DERIVE_INVOICES_AND_POOLS,
  `INSERT INTO rm_open_dues (version, tenant_id, ledger_id, customer_id, currency, due, open)
   SELECT version, tenant_id, ledger_id, customer_id, currency, due, sum(open)
   FROM rm_invoices WHERE version = ? AND ledger_id = ? AND open > 0
   GROUP BY version, tenant_id, ledger_id, customer_id, currency, due`,
];
