// The report queries over the read models. Every query is bound to one model version, tenant and
// ledger (in a `p` row), sums are NUMERIC and come back as decimal text, dates as "YYYY-MM-DD".

const P = `p AS NOT MATERIALIZED (SELECT ?::int AS version, ?::uuid AS tenant_id, ?::uuid AS ledger_id)`;

/** The ledger is the tenant's: known from LedgerCreated or from its entries. */
export const LEDGER_OF_TENANT = `
  WITH ${P}
  SELECT (SELECT base_currency FROM ledger_summaries s, p
          WHERE s.id = p.ledger_id AND s.tenant_id = p.tenant_id) AS base_currency,
    EXISTS (SELECT 1 FROM ledger_summaries s, p WHERE s.id = p.ledger_id AND s.tenant_id = p.tenant_id)
    OR EXISTS (SELECT 1 FROM rm_ledger_watermarks w, p WHERE w.version = p.version
               AND w.ledger_id = p.ledger_id AND w.tenant_id = p.tenant_id) AS known,
    coalesce((SELECT current_sequence FROM rm_ledger_watermarks w, p WHERE w.version = p.version
              AND w.ledger_id = p.ledger_id AND w.tenant_id = p.tenant_id), 0)::text AS current_sequence`;

/** Per account and currency: balance before from_day, debits and credits in [from, to]. */
export const TRIAL_BALANCE = `
  WITH ${P}, q AS NOT MATERIALIZED (SELECT ?::date AS from_day, ?::date AS to_day)
  SELECT d.account_code, d.currency, coalesce(a.name, '') AS account_name,
    coalesce(a.type, '') AS account_type,
    coalesce(sum(d.debit - d.credit) FILTER (WHERE d.day < q.from_day), 0)::text AS opening,
    coalesce(sum(d.debit) FILTER (WHERE q.from_day IS NULL OR d.day >= q.from_day), 0)::text AS debit,
    coalesce(sum(d.credit) FILTER (WHERE q.from_day IS NULL OR d.day >= q.from_day), 0)::text AS credit
  FROM p CROSS JOIN q
  JOIN rm_account_days d ON d.version = p.version AND d.ledger_id = p.ledger_id
    AND d.tenant_id = p.tenant_id AND (q.to_day IS NULL OR d.day <= q.to_day)
  LEFT JOIN rm_accounts a ON a.version = p.version AND a.ledger_id = p.ledger_id
    AND a.code = d.account_code
  GROUP BY d.account_code, d.currency, a.name, a.type
  ORDER BY d.account_code COLLATE "C", d.currency`;

/** Per account, currency and month (null month = everything before from_day), up to to_day. */
export const MONTHLY_TURNOVERS = `
  WITH ${P}, q AS NOT MATERIALIZED (SELECT ?::date AS from_day, ?::date AS to_day, ?::text AS account_code)
  SELECT d.account_code, d.currency, coalesce(a.name, '') AS account_name,
    coalesce(a.type, '') AS account_type,
    CASE WHEN d.day < q.from_day THEN NULL
      ELSE to_char(date_trunc('month', d.day), 'YYYY-MM-DD') END AS month,
    sum(d.debit)::text AS debit, sum(d.credit)::text AS credit
  FROM p CROSS JOIN q
  JOIN rm_account_days d ON d.version = p.version AND d.ledger_id = p.ledger_id
    AND d.tenant_id = p.tenant_id AND d.day < q.to_day
    AND (q.account_code IS NULL OR d.account_code = q.account_code)
  LEFT JOIN rm_accounts a ON a.version = p.version AND a.ledger_id = p.ledger_id
    AND a.code = d.account_code
  GROUP BY d.account_code, d.currency, a.name, a.type, 5
  ORDER BY d.account_code COLLATE "C", d.currency, 5 NULLS FIRST`;

export const ACCOUNT_OF_LEDGER = `
  WITH ${P}, q AS NOT MATERIALIZED (SELECT ?::text AS code)
  SELECT (SELECT name FROM rm_accounts a WHERE a.version = p.version AND a.ledger_id = p.ledger_id
          AND a.code = q.code) AS name,
    EXISTS (SELECT 1 FROM rm_accounts a WHERE a.version = p.version AND a.ledger_id = p.ledger_id
            AND a.code = q.code)
    OR EXISTS (SELECT 1 FROM rm_account_days d WHERE d.version = p.version
               AND d.ledger_id = p.ledger_id AND d.account_code = q.code) AS known
  FROM p CROSS JOIN q`;

export const ACCOUNT_CURRENCIES = `
  WITH ${P}, q AS NOT MATERIALIZED (SELECT ?::text AS code)
  SELECT DISTINCT d.currency FROM p CROSS JOIN q
  JOIN rm_account_days d ON d.version = p.version AND d.ledger_id = p.ledger_id
    AND d.account_code = q.code
  ORDER BY d.currency LIMIT 5`;

export const LEDGER_CURRENCIES = `
  WITH ${P}
  SELECT DISTINCT d.currency FROM p
  JOIN rm_account_days d ON d.version = p.version AND d.ledger_id = p.ledger_id
  ORDER BY d.currency LIMIT 5`;

export const ORGANIZATION_OF_TENANT = `
  SELECT name FROM rm_organizations WHERE version = ? AND tenant_id = ? AND id = ?`;

// Lines of one account (optionally one counterparty) in one currency.
const ACCOUNT_LINES = `
  l.version = p.version AND l.ledger_id = p.ledger_id AND l.tenant_id = p.tenant_id
  AND l.account_code = q.code AND l.currency = q.currency
  AND (q.counterparty_id IS NULL OR l.counterparty_id = q.counterparty_id)`;

const STATEMENT_Q = `q AS NOT MATERIALIZED (SELECT ?::text AS code, ?::text AS currency, ?::uuid AS counterparty_id,
  ?::date AS from_day, ?::date AS to_day, ?::date AS after_date, ?::bigint AS after_seq,
  ?::int AS after_line)`;

/**
 * Sums of an account statement: the balance before from_day, the lines of the range before the
 * page (up to the page token) and the whole range.
 */
export const ACCOUNT_STATEMENT_SUMS = `
  WITH ${P}, ${STATEMENT_Q}
  SELECT
    coalesce(sum(CASE WHEN l.is_debit THEN l.amount ELSE -l.amount END)
      FILTER (WHERE l.entry_date < q.from_day), 0)::text AS opening,
    coalesce(sum(CASE WHEN l.is_debit THEN l.amount ELSE -l.amount END)
      FILTER (WHERE (q.from_day IS NULL OR l.entry_date >= q.from_day)
        AND (l.entry_date, l.ledger_sequence, l.line_no) <= (q.after_date, q.after_seq, q.after_line)),
      0)::text AS before_page,
    coalesce(sum(CASE WHEN l.is_debit THEN l.amount ELSE -l.amount END), 0)::text AS closing
  FROM p CROSS JOIN q
  JOIN rm_lines l ON ${ACCOUNT_LINES} AND (q.to_day IS NULL OR l.entry_date <= q.to_day)`;

const ACCOUNT_DAYS = `
  d.version = p.version AND d.ledger_id = p.ledger_id AND d.tenant_id = p.tenant_id
  AND d.account_code = q.code AND d.currency = q.currency`;

/**
 * The same sums for a statement of the whole account (no counterparty) from the daily
 * turnovers: whole days from rm_account_days, only the page token's own day from the lines.
 */
export const ACCOUNT_STATEMENT_SUMS_BY_DAY = `
  WITH ${P}, ${STATEMENT_Q}
  SELECT
    coalesce((SELECT sum(d.debit - d.credit) FROM rm_account_days d
      WHERE ${ACCOUNT_DAYS} AND d.day < q.from_day), 0)::text AS opening,
    (coalesce((SELECT sum(d.debit - d.credit) FROM rm_account_days d
      WHERE ${ACCOUNT_DAYS} AND (q.from_day IS NULL OR d.day >= q.from_day)
        AND d.day < q.after_date), 0)
    + coalesce((SELECT sum(CASE WHEN l.is_debit THEN l.amount ELSE -l.amount END) FROM rm_lines l
      WHERE ${ACCOUNT_LINES} AND l.entry_date = q.after_date
        AND (l.ledger_sequence, l.line_no) <= (q.after_seq, q.after_line)), 0))::text AS before_page,
    coalesce((SELECT sum(d.debit - d.credit) FROM rm_account_days d
      WHERE ${ACCOUNT_DAYS} AND (q.to_day IS NULL OR d.day <= q.to_day)), 0)::text AS closing
  FROM p CROSS JOIN q`;

/** One page of an account statement's lines, with the running sum within the page. */
export const ACCOUNT_STATEMENT_PAGE = `
  WITH ${P}, ${STATEMENT_Q},
  page AS (
    SELECT l.* FROM p CROSS JOIN q
    JOIN rm_lines l ON ${ACCOUNT_LINES}
      AND (q.from_day IS NULL OR l.entry_date >= q.from_day)
      AND (q.to_day IS NULL OR l.entry_date <= q.to_day)
      AND (q.after_date IS NULL
        OR (l.entry_date, l.ledger_sequence, l.line_no) > (q.after_date, q.after_seq, q.after_line))
    ORDER BY l.entry_date, l.ledger_sequence, l.line_no
    LIMIT ?
  )
  SELECT page.entry_id, page.ledger_sequence::text, to_char(page.entry_date, 'YYYY-MM-DD') AS entry_date,
    page.line_no, page.journal_symbol, page.number::text, page.transaction_type, page.reference,
    CASE WHEN page.memo <> '' THEN page.memo ELSE page.description END AS description,
    page.payment_method, coalesce(page.counterparty_id::text, '') AS counterparty_id,
    coalesce(o.name, '') AS counterparty_name, page.account_code,
    coalesce(to_char(page.due_date, 'YYYY-MM-DD'), '') AS due_date,
    CASE WHEN page.is_debit THEN page.amount ELSE 0 END::text AS debit,
    CASE WHEN page.is_debit THEN 0 ELSE page.amount END::text AS credit,
    (CASE WHEN page.is_debit THEN page.amount ELSE -page.amount END)::text AS amount,
    sum(CASE WHEN page.is_debit THEN page.amount ELSE -page.amount END)
      OVER (ORDER BY page.entry_date, page.ledger_sequence, page.line_no)::text AS running
  FROM page
  LEFT JOIN rm_organizations o ON o.version = page.version AND o.id = page.counterparty_id
  ORDER BY page.entry_date, page.ledger_sequence, page.line_no`;

export const CUSTOMER_CURRENCIES = `
  WITH ${P}, q AS NOT MATERIALIZED (SELECT ?::uuid AS customer_id)
  SELECT DISTINCT l.currency FROM p CROSS JOIN q
  JOIN rm_lines l ON l.version = p.version AND l.ledger_id = p.ledger_id
    AND l.counterparty_id = q.customer_id
  JOIN rm_accounts a ON a.version = p.version AND a.ledger_id = p.ledger_id
    AND a.code = l.account_code AND a.role = 'receivable'
  ORDER BY l.currency LIMIT 5`;

/**
 * A customer's ledger: every entry's net effect on the customer's receivable lines in one
 * currency (debits − credits: positive raises what they owe). The running balance counts every
 * entry whatever the type filter; the filter only chooses the rows shown.
 */
const CUSTOMER_MOVES = `
  WITH ${P},
  q AS NOT MATERIALIZED (SELECT ?::uuid AS customer_id, ?::text AS currency, ?::date AS from_day, ?::date AS to_day,
    ?::date AS after_date, ?::bigint AS after_seq, ?::boolean AS show_all),
  moves AS (
    SELECT l.entry_id, l.ledger_sequence, l.entry_date, l.journal_symbol, l.number,
      l.transaction_type, l.reference, l.description, l.payment_method, l.due_date,
      coalesce(sum(l.amount) FILTER (WHERE l.is_debit), 0) AS debit,
      coalesce(sum(l.amount) FILTER (WHERE NOT l.is_debit), 0) AS credit,
      sum(CASE WHEN l.is_debit THEN l.amount ELSE -l.amount END) AS net
    FROM p CROSS JOIN q
    JOIN rm_lines l ON l.version = p.version AND l.ledger_id = p.ledger_id
      AND l.tenant_id = p.tenant_id AND l.counterparty_id = q.customer_id
      AND l.currency = q.currency AND (q.to_day IS NULL OR l.entry_date <= q.to_day)
    JOIN rm_accounts a ON a.version = p.version AND a.ledger_id = p.ledger_id
      AND a.code = l.account_code AND a.role = 'receivable'
    GROUP BY l.entry_id, l.ledger_sequence, l.entry_date, l.journal_symbol, l.number,
      l.transaction_type, l.reference, l.description, l.payment_method, l.due_date
  ),
  keyed AS (
    SELECT m.*, (q.from_day IS NULL OR m.entry_date >= q.from_day) AS in_range,
      (q.from_day IS NULL OR m.entry_date >= q.from_day) AND (q.after_date IS NULL
        OR (m.entry_date, m.ledger_sequence) > (q.after_date, q.after_seq)) AS on_page
    FROM moves m CROSS JOIN q
  )`;

/**
 * A customer's ledger: every entry's net effect on the customer's receivable lines in one
 * currency (debits − credits: positive raises what they owe). Sums: the balance before
 * from_day, before the page and at to_day.
 */
export const CUSTOMER_STATEMENT_SUMS = `${CUSTOMER_MOVES}
  SELECT coalesce(sum(net) FILTER (WHERE NOT in_range), 0)::text AS opening,
    coalesce(sum(net) FILTER (WHERE NOT on_page), 0)::text AS before_page,
    coalesce(sum(net), 0)::text AS closing
  FROM keyed`;

/**
 * One page of a customer's ledger. The running balance (added to before_page by the caller)
 * counts every entry whatever the type filter; the filter only chooses the rows shown.
 */
export const CUSTOMER_STATEMENT_PAGE = `${CUSTOMER_MOVES},
  windowed AS (
    SELECT k.*, sum(k.net) OVER (ORDER BY k.entry_date, k.ledger_sequence) AS running
    FROM keyed k WHERE k.on_page
  )
  SELECT w.entry_id, w.ledger_sequence::text, to_char(w.entry_date, 'YYYY-MM-DD') AS entry_date,
    w.journal_symbol, w.number::text, w.transaction_type, w.reference, w.description,
    w.payment_method, coalesce(to_char(w.due_date, 'YYYY-MM-DD'), '') AS due_date,
    w.debit::text, w.credit::text, w.net::text AS amount, w.running::text AS running
  FROM windowed w CROSS JOIN q
  WHERE q.show_all OR w.transaction_type IN ('payment', 'refund')
  ORDER BY w.entry_date, w.ledger_sequence
  LIMIT ?`;

/**
 * The general ledger's running total before a position: the debits of every entry in the
 * currency before from_day, plus those from from_day up to and including the position (whole
 * days from the daily turnovers, the position's own day from the lines).
 */
export const GENERAL_LEDGER_BEFORE = `
  WITH ${P},
  q AS NOT MATERIALIZED (SELECT ?::text AS currency, ?::date AS from_day, ?::date AS after_date,
    ?::bigint AS after_seq)
  SELECT (
    coalesce((SELECT sum(d.debit) FROM rm_account_days d
      WHERE d.version = p.version AND d.ledger_id = p.ledger_id AND d.tenant_id = p.tenant_id
        AND d.currency = q.currency
        AND (d.day < q.from_day OR d.day < q.after_date)), 0)
    + coalesce((SELECT sum(l.amount) FROM rm_lines l
      WHERE l.version = p.version AND l.ledger_id = p.ledger_id AND l.tenant_id = p.tenant_id
        AND l.currency = q.currency AND l.is_debit AND l.entry_date = q.after_date
        AND l.ledger_sequence <= q.after_seq
        AND (q.from_day IS NULL OR l.entry_date >= q.from_day)), 0)
  )::text AS total
  FROM p CROSS JOIN q`;

/**
 * The general ledger: one row per entry in one currency with its total debits, the next `limit`
 * entries after a position in listing order (date, ledger sequence), read along the index so a
 * page costs its own size; `running` is the cumulative debits within this chunk.
 */
export const GENERAL_LEDGER_CHUNK = `
  WITH ${P},
  q AS NOT MATERIALIZED (SELECT ?::text AS currency, ?::date AS from_day, ?::date AS to_day, ?::date AS after_date,
    ?::bigint AS after_seq),
  entries AS (
    SELECT l.entry_date, l.ledger_sequence, min(l.entry_id::text) AS entry_id,
      min(l.journal_symbol) AS journal_symbol, min(l.number) AS number,
      min(l.transaction_type) AS transaction_type, min(l.reference) AS reference,
      min(l.description) AS description, min(l.payment_method) AS payment_method,
      min(l.due_date) AS due_date,
      coalesce(sum(l.amount) FILTER (WHERE l.is_debit), 0) AS debit,
      coalesce(sum(l.amount) FILTER (WHERE NOT l.is_debit), 0) AS credit,
      (array_agg(l.counterparty_id ORDER BY l.line_no)
        FILTER (WHERE l.counterparty_id IS NOT NULL))[1] AS counterparty_id
    FROM p CROSS JOIN q
    JOIN rm_lines l ON l.version = p.version AND l.ledger_id = p.ledger_id
      AND l.currency = q.currency
      AND (q.from_day IS NULL OR l.entry_date >= q.from_day)
      AND (q.to_day IS NULL OR l.entry_date <= q.to_day)
      AND (q.after_date IS NULL
        OR (l.entry_date, l.ledger_sequence) > (q.after_date, q.after_seq))
    WHERE l.tenant_id = p.tenant_id
    GROUP BY l.entry_date, l.ledger_sequence
    ORDER BY l.entry_date, l.ledger_sequence
    LIMIT ?
  )
  SELECT e.entry_id, e.ledger_sequence::text, to_char(e.entry_date, 'YYYY-MM-DD') AS entry_date,
    e.journal_symbol, e.number::text, e.transaction_type, e.reference, e.description,
    e.payment_method, coalesce(to_char(e.due_date, 'YYYY-MM-DD'), '') AS due_date,
    coalesce(e.counterparty_id::text, '') AS counterparty_id, coalesce(o.name, '') AS counterparty_name,
    e.debit::text, e.credit::text, e.debit::text AS amount,
    sum(e.debit) OVER (ORDER BY e.entry_date, e.ledger_sequence)::text AS running
  FROM entries e CROSS JOIN p
  LEFT JOIN rm_organizations o ON o.version = p.version AND o.id = e.counterparty_id
  ORDER BY e.entry_date, e.ledger_sequence`;

/** Every line of the entries in a range, for journal exports (QuickBooks), keyset-paged by line. */
export const JOURNAL_LINES = `
  WITH ${P},
  q AS NOT MATERIALIZED (SELECT ?::text AS currency, ?::date AS from_day, ?::date AS to_day,
    ?::bigint AS upto_seq, ?::date AS after_date, ?::bigint AS after_seq, ?::int AS after_line)
  SELECT l.entry_id, l.ledger_sequence::text, to_char(l.entry_date, 'YYYY-MM-DD') AS entry_date,
    l.line_no, l.journal_symbol, l.number::text, l.transaction_type, l.reference, l.description,
    l.memo, l.account_code, coalesce(a.name, '') AS account_name, l.is_debit, l.amount::text,
    coalesce(o.name, '') AS counterparty_name
  FROM p CROSS JOIN q
  JOIN rm_lines l ON l.version = p.version AND l.ledger_id = p.ledger_id
    AND l.tenant_id = p.tenant_id AND l.currency = q.currency
    AND (q.from_day IS NULL OR l.entry_date >= q.from_day)
    AND (q.to_day IS NULL OR l.entry_date <= q.to_day)
    AND l.ledger_sequence <= q.upto_seq
    AND (q.after_date IS NULL
      OR (l.entry_date, l.ledger_sequence, l.line_no) > (q.after_date, q.after_seq, q.after_line))
  LEFT JOIN rm_accounts a ON a.version = p.version AND a.ledger_id = p.ledger_id
    AND a.code = l.account_code
  LEFT JOIN rm_organizations o ON o.version = p.version AND o.id = l.counterparty_id
  ORDER BY l.entry_date, l.ledger_sequence, l.line_no
  LIMIT ?`;

/** The ledger's chart as the read model knows it, in code order. */
export const LEDGER_ACCOUNTS = `
  WITH ${P}
  SELECT a.code, a.name, a.type, coalesce(a.role, '') AS role
  FROM p JOIN rm_accounts a ON a.version = p.version AND a.ledger_id = p.ledger_id
    AND a.tenant_id = p.tenant_id
  ORDER BY a.code COLLATE "C"`;

/**
 * Receivables aging. Per customer and currency (entries up to as_of): an invoice is an entry of
 * type invoice raising the receivable; the reversal of an invoice cancels it; every other
 * movement adds to (lowers the balance) or takes from the customer's credit pool. The pool (if
 * positive) covers the invoices oldest first (invoice date, number): an invoice's open amount is
 * least(amount, greatest(0, cumulative amount − pool)). Open amounts fall into buckets by days
 * past due (due date, else invoice date) at as_of.
 */
export const RECEIVABLES_AGING = `
  WITH ${P}, q AS NOT MATERIALIZED (SELECT ?::date AS as_of),
  moves AS (
    SELECT l.counterparty_id AS customer_id, l.currency, l.entry_id, l.entry_date, l.number,
      l.journal_symbol, l.transaction_type, l.reverses_entry_id,
      coalesce(l.due_date, l.entry_date) AS due,
      sum(CASE WHEN l.is_debit THEN l.amount ELSE -l.amount END) AS net
    FROM p CROSS JOIN q
    JOIN rm_accounts a ON a.version = p.version AND a.ledger_id = p.ledger_id
      AND a.role = 'receivable'
    JOIN rm_lines l ON l.version = p.version AND l.ledger_id = p.ledger_id
      AND l.tenant_id = p.tenant_id AND l.account_code = a.code
      AND l.counterparty_id IS NOT NULL AND l.entry_date <= q.as_of
    GROUP BY l.counterparty_id, l.currency, l.entry_id, l.entry_date, l.number, l.journal_symbol,
      l.transaction_type, l.reverses_entry_id, l.due_date
  ),
  invoices AS (
    SELECT * FROM moves WHERE transaction_type = 'invoice' AND net > 0
  ),
  cancels AS (
    SELECT m.customer_id, m.currency, m.reverses_entry_id AS entry_id, sum(-m.net) AS cancelled
    FROM moves m
    JOIN invoices i ON i.entry_id = m.reverses_entry_id AND i.customer_id = m.customer_id
      AND i.currency = m.currency
    WHERE m.net < 0
    GROUP BY m.customer_id, m.currency, m.reverses_entry_id
  ),
  items AS (
    SELECT i.customer_id, i.currency, i.entry_id, i.entry_date, i.number, i.journal_symbol, i.due,
      greatest(i.net - coalesce(c.cancelled, 0), 0) AS amount,
      greatest(coalesce(c.cancelled, 0) - i.net, 0) AS excess
    FROM invoices i
    LEFT JOIN cancels c ON c.entry_id = i.entry_id AND c.customer_id = i.customer_id
      AND c.currency = i.currency
  ),
  pools AS (
    SELECT customer_id, currency, sum(pool) AS pool FROM (
      SELECT m.customer_id, m.currency, -m.net AS pool
      FROM moves m
      LEFT JOIN invoices i ON m.net < 0 AND i.entry_id = m.reverses_entry_id
        AND i.customer_id = m.customer_id AND i.currency = m.currency
      WHERE NOT (m.transaction_type = 'invoice' AND m.net > 0) AND i.entry_id IS NULL
      UNION ALL
      SELECT customer_id, currency, excess FROM items WHERE excess > 0
    ) credits GROUP BY customer_id, currency
  ),
  open_items AS (
    SELECT it.customer_id, it.currency, it.due,
      least(it.amount, greatest(0, sum(it.amount) OVER (
        PARTITION BY it.customer_id, it.currency
        ORDER BY it.entry_date, it.number, it.journal_symbol COLLATE "C", it.entry_id
        ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW)
        - greatest(coalesce(pl.pool, 0), 0))) AS open
    FROM items it
    LEFT JOIN pools pl ON pl.customer_id = it.customer_id AND pl.currency = it.currency
    WHERE it.amount > 0
  ),
  buckets AS (
    SELECT o.customer_id, o.currency,
      coalesce(sum(o.open) FILTER (WHERE q.as_of - o.due <= 0), 0) AS current,
      coalesce(sum(o.open) FILTER (WHERE q.as_of - o.due BETWEEN 1 AND 30), 0) AS days_1_30,
      coalesce(sum(o.open) FILTER (WHERE q.as_of - o.due BETWEEN 31 AND 60), 0) AS days_31_60,
      coalesce(sum(o.open) FILTER (WHERE q.as_of - o.due BETWEEN 61 AND 90), 0) AS days_61_90,
      coalesce(sum(o.open) FILTER (WHERE q.as_of - o.due > 90), 0) AS days_over_90,
      coalesce(sum(o.open), 0) AS total
    FROM open_items o CROSS JOIN q
    GROUP BY o.customer_id, o.currency
  ),
  invoiced AS (
    SELECT customer_id, currency, sum(amount) AS amount FROM items GROUP BY customer_id, currency
  )
  SELECT coalesce(b.customer_id, pl.customer_id)::text AS customer_id,
    coalesce(b.currency, pl.currency) AS currency, coalesce(org.name, '') AS customer_name,
    coalesce(b.current, 0)::text AS current, coalesce(b.days_1_30, 0)::text AS days_1_30,
    coalesce(b.days_31_60, 0)::text AS days_31_60, coalesce(b.days_61_90, 0)::text AS days_61_90,
    coalesce(b.days_over_90, 0)::text AS days_over_90, coalesce(b.total, 0)::text AS total,
    greatest(coalesce(pl.pool, 0) - coalesce(inv.amount, 0), 0)::text AS unapplied_credit
  FROM buckets b
  FULL JOIN pools pl ON pl.customer_id = b.customer_id AND pl.currency = b.currency
  LEFT JOIN invoiced inv ON inv.customer_id = coalesce(b.customer_id, pl.customer_id)
    AND inv.currency = coalesce(b.currency, pl.currency)
  CROSS JOIN p
  LEFT JOIN rm_organizations org ON org.version = p.version
    AND org.id = coalesce(b.customer_id, pl.customer_id)
  WHERE coalesce(b.total, 0) <> 0 OR coalesce(pl.pool, 0) - coalesce(inv.amount, 0) > 0
  ORDER BY customer_name, customer_id, currency`;

/** The latest receivable movement of the ledger (the open-item model is "as of" that day on). */
export const RECEIVABLES_LAST_DATE = `
  WITH ${P}
  SELECT to_char(max(r.last_date), 'YYYY-MM-DD') AS last_date
  FROM p JOIN rm_receivable_pools r ON r.version = p.version AND r.ledger_id = p.ledger_id
    AND r.tenant_id = p.tenant_id`;

/**
 * Receivables aging from the maintained open items, valid when no receivable movement is dated
 * after as_of: the open amounts per customer and due date (rm_open_dues) fall into buckets.
 */
export const RECEIVABLES_AGING_OPEN_ITEMS = `
  WITH ${P}, q AS NOT MATERIALIZED (SELECT ?::date AS as_of),
  buckets AS (
    SELECT o.customer_id, o.currency,
      coalesce(sum(o.open) FILTER (WHERE q.as_of - o.due <= 0), 0) AS current,
      coalesce(sum(o.open) FILTER (WHERE q.as_of - o.due BETWEEN 1 AND 30), 0) AS days_1_30,
      coalesce(sum(o.open) FILTER (WHERE q.as_of - o.due BETWEEN 31 AND 60), 0) AS days_31_60,
      coalesce(sum(o.open) FILTER (WHERE q.as_of - o.due BETWEEN 61 AND 90), 0) AS days_61_90,
      coalesce(sum(o.open) FILTER (WHERE q.as_of - o.due > 90), 0) AS days_over_90,
      coalesce(sum(o.open), 0) AS total
    FROM p CROSS JOIN q
    JOIN rm_open_dues o ON o.version = p.version AND o.ledger_id = p.ledger_id
      AND o.tenant_id = p.tenant_id
    GROUP BY o.customer_id, o.currency
  )
  SELECT pl.customer_id::text AS customer_id, pl.currency, coalesce(org.name, '') AS customer_name,
    coalesce(b.current, 0)::text AS current, coalesce(b.days_1_30, 0)::text AS days_1_30,
    coalesce(b.days_31_60, 0)::text AS days_31_60, coalesce(b.days_61_90, 0)::text AS days_61_90,
    coalesce(b.days_over_90, 0)::text AS days_over_90, coalesce(b.total, 0)::text AS total,
    greatest(pl.pool - pl.invoiced, 0)::text AS unapplied_credit
  FROM p
  JOIN rm_receivable_pools pl ON pl.version = p.version AND pl.ledger_id = p.ledger_id
    AND pl.tenant_id = p.tenant_id
  LEFT JOIN buckets b ON b.customer_id = pl.customer_id AND b.currency = pl.currency
  LEFT JOIN rm_organizations org ON org.version = p.version AND org.id = pl.customer_id
  WHERE coalesce(b.total, 0) <> 0 OR pl.pool - pl.invoiced > 0
  ORDER BY customer_name, customer_id, currency`;

/** Revenue and expense per month, account and currency (no breakdown). */
export const INCOME_BY_ACCOUNT = `
  WITH ${P}, q AS NOT MATERIALIZED (SELECT ?::date AS from_day, ?::date AS to_day)
  SELECT to_char(date_trunc('month', d.day), 'YYYY-MM-DD') AS period, a.type AS account_type,
    d.account_code, a.name AS account_name, '' AS breakdown_key, '' AS breakdown_label,
    d.currency,
    (CASE WHEN a.type = 'revenue' THEN sum(d.credit - d.debit) ELSE sum(d.debit - d.credit) END)::text AS amount
  FROM p CROSS JOIN q
  JOIN rm_accounts a ON a.version = p.version AND a.ledger_id = p.ledger_id
    AND a.type IN ('revenue', 'expense')
  JOIN rm_account_days d ON d.version = p.version AND d.ledger_id = p.ledger_id
    AND d.tenant_id = p.tenant_id AND d.account_code = a.code
    AND d.day BETWEEN q.from_day AND q.to_day
  GROUP BY 1, a.type, d.account_code, a.name, d.currency
  ORDER BY 1, a.type DESC, d.account_code COLLATE "C", d.currency`;

/** The same broken down by product, counterparty, or counterparty when it is a vendor. */
export const INCOME_BY_DETAIL = `
  WITH ${P}, q AS NOT MATERIALIZED (SELECT ?::date AS from_day, ?::date AS to_day, ?::text AS breakdown),
  rows AS (
    SELECT date_trunc('month', d.day) AS month, a.type AS account_type, d.account_code,
      a.name AS account_name, d.currency,
      CASE q.breakdown
        WHEN 'product' THEN d.product
        WHEN 'counterparty' THEN CASE WHEN o.id IS NULL AND d.counterparty_id
          = '00000000-0000-0000-0000-000000000000' THEN '' ELSE d.counterparty_id::text END
        ELSE CASE WHEN o.kind = 'vendor' THEN o.id::text ELSE '' END
      END AS breakdown_key,
      CASE q.breakdown
        WHEN 'product' THEN d.product
        WHEN 'counterparty' THEN coalesce(o.name, '')
        ELSE CASE WHEN o.kind = 'vendor' THEN o.name ELSE '' END
      END AS breakdown_label,
      CASE WHEN a.type = 'revenue' THEN d.credit - d.debit ELSE d.debit - d.credit END AS amount
    FROM p CROSS JOIN q
    JOIN rm_accounts a ON a.version = p.version AND a.ledger_id = p.ledger_id
      AND a.type IN ('revenue', 'expense')
    JOIN rm_detail_days d ON d.version = p.version AND d.ledger_id = p.ledger_id
      AND d.tenant_id = p.tenant_id AND d.account_code = a.code
      AND d.day BETWEEN q.from_day AND q.to_day
    LEFT JOIN rm_organizations o ON o.version = p.version AND o.id = d.counterparty_id
  )
  SELECT to_char(month, 'YYYY-MM-DD') AS period, account_type, account_code, account_name,
    breakdown_key, breakdown_label, currency, sum(amount)::text AS amount
  FROM rows
  GROUP BY month, account_type, account_code, account_name, breakdown_key, breakdown_label, currency
  ORDER BY month, account_type DESC, account_code COLLATE "C", breakdown_key, currency`;

/**
 * The income statement by product, counterparty or vendor over whole months, from the monthly
 * turnovers (the range is from the first day of a month to the last day of a month).
 */
export const INCOME_BY_MONTHS = `
  WITH ${P}, q AS NOT MATERIALIZED (SELECT ?::date AS from_day, ?::date AS to_day, ?::text AS breakdown),
  rows AS (
    SELECT m.month, a.type AS account_type, m.account_code, a.name AS account_name, m.currency,
      m.product AS breakdown_key, m.product AS breakdown_label,
      CASE WHEN a.type = 'revenue' THEN m.credit - m.debit ELSE m.debit - m.credit END AS amount
    FROM p CROSS JOIN q
    JOIN rm_accounts a ON a.version = p.version AND a.ledger_id = p.ledger_id
      AND a.type IN ('revenue', 'expense')
    JOIN rm_product_months m ON m.version = p.version AND m.ledger_id = p.ledger_id
      AND m.tenant_id = p.tenant_id AND m.account_code = a.code
      AND m.month BETWEEN q.from_day AND q.to_day
    WHERE q.breakdown = 'product'
    UNION ALL
    SELECT m.month, a.type, m.account_code, a.name, m.currency,
      CASE WHEN q.breakdown = 'counterparty' AND (o.id IS NOT NULL OR m.counterparty_id
          <> '00000000-0000-0000-0000-000000000000') THEN m.counterparty_id::text
        WHEN q.breakdown = 'vendor' AND o.kind = 'vendor' THEN o.id::text ELSE '' END,
      CASE WHEN q.breakdown = 'counterparty' THEN coalesce(o.name, '')
        WHEN o.kind = 'vendor' THEN o.name ELSE '' END,
      CASE WHEN a.type = 'revenue' THEN m.credit - m.debit ELSE m.debit - m.credit END
    FROM p CROSS JOIN q
    JOIN rm_accounts a ON a.version = p.version AND a.ledger_id = p.ledger_id
      AND a.type IN ('revenue', 'expense')
    JOIN rm_counterparty_months m ON m.version = p.version AND m.ledger_id = p.ledger_id
      AND m.tenant_id = p.tenant_id AND m.account_code = a.code
      AND m.month BETWEEN q.from_day AND q.to_day
    LEFT JOIN rm_organizations o ON o.version = p.version AND o.id = m.counterparty_id
    WHERE q.breakdown IN ('counterparty', 'vendor')
  )
  SELECT to_char(month, 'YYYY-MM-DD') AS period, account_type, account_code, account_name,
    breakdown_key, breakdown_label, currency, sum(amount)::text AS amount
  FROM rows
  GROUP BY month, account_type, account_code, account_name, breakdown_key, breakdown_label, currency
  ORDER BY month, account_type DESC, account_code COLLATE "C", breakdown_key, currency`;

/** Balances of every account with lines up to as_of, with its type (balance sheet). */
export const BALANCES_BY_TYPE = `
  WITH ${P}, q AS NOT MATERIALIZED (SELECT ?::date AS as_of)
  SELECT d.account_code, coalesce(a.name, '') AS account_name, coalesce(a.type, '') AS account_type,
    d.currency, sum(d.debit - d.credit)::text AS balance
  FROM p CROSS JOIN q
  JOIN rm_account_days d ON d.version = p.version AND d.ledger_id = p.ledger_id
    AND d.tenant_id = p.tenant_id AND (q.as_of IS NULL OR d.day <= q.as_of)
  LEFT JOIN rm_accounts a ON a.version = p.version AND a.ledger_id = p.ledger_id
    AND a.code = d.account_code
  GROUP BY d.account_code, a.name, a.type, d.currency
  ORDER BY d.account_code COLLATE "C", d.currency`;
