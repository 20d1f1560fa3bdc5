// The read side of the book of record, in SQL: sums are NUMERIC in Postgres and come back as
// decimal strings (never JS numbers); dates come back as "YYYY-MM-DD" text. Each query binds
// its parameters once, in a `p` row, so the statement reads without positional bookkeeping.

/** Balance of an account per currency from the daily turnovers (a sum over days, not lines). */
export const ACCOUNT_BALANCE_FROM_TURNOVERS = `
  WITH p AS (SELECT ?::uuid AS account_id, ?::date AS as_of)
  SELECT t.currency, sum(t.debit)::text AS debit, sum(t.credit)::text AS credit
  FROM p JOIN account_daily_turnovers t ON t.account_id = p.account_id
  WHERE p.as_of IS NULL OR t.day <= p.as_of
  GROUP BY t.currency
  ORDER BY t.currency`;

/** Balance of an account for one counterparty, from the lines (indexed by counterparty). */
export const ACCOUNT_BALANCE_FOR_COUNTERPARTY = `
  WITH p AS (SELECT ?::uuid AS account_id, ?::date AS as_of, ?::uuid AS counterparty_id)
  SELECT l.currency,
    coalesce(sum(l.amount) FILTER (WHERE l.side = 'debit'), 0)::text AS debit,
    coalesce(sum(l.amount) FILTER (WHERE l.side = 'credit'), 0)::text AS credit
  FROM p JOIN entry_lines l ON l.counterparty_id = p.counterparty_id AND l.account_id = p.account_id
  WHERE p.as_of IS NULL OR l.entry_date <= p.as_of
  GROUP BY l.currency
  ORDER BY l.currency`;

/** A customer's receivable balance per currency: lines on receivable accounts naming them. */
export const CUSTOMER_BALANCE = `
  WITH p AS (SELECT ?::uuid AS ledger_id, ?::uuid AS customer_id, ?::date AS as_of)
  SELECT l.currency,
    sum(CASE WHEN l.side = 'debit' THEN l.amount ELSE -l.amount END)::text AS balance
  FROM p
  JOIN entry_lines l ON l.counterparty_id = p.customer_id AND l.ledger_id = p.ledger_id
  JOIN accounts a ON a.id = l.account_id AND a.role = 'receivable'
  WHERE p.as_of IS NULL OR l.entry_date <= p.as_of
  GROUP BY l.currency
  ORDER BY l.currency`;

/**
 * Every entry touching the customer's receivable, with its net effect on it per currency
 * (debits − credits), oldest first: invoice date, then number.
 */
export const CUSTOMER_RECEIVABLE_MOVEMENTS = `
  WITH p AS (SELECT ?::uuid AS ledger_id, ?::uuid AS customer_id)
  SELECT e.id, e.transaction_type, e.reverses_entry_id, coalesce(e.reference, '') AS reference,
    to_char(e.entry_date, 'YYYY-MM-DD') AS entry_date,
    coalesce(to_char(e.due_date, 'YYYY-MM-DD'), '') AS due_date,
    l.currency,
    sum(CASE WHEN l.side = 'debit' THEN l.amount ELSE -l.amount END)::text AS net
  FROM p
  JOIN entry_lines l ON l.counterparty_id = p.customer_id AND l.ledger_id = p.ledger_id
  JOIN accounts a ON a.id = l.account_id AND a.role = 'receivable'
  JOIN entries e ON e.id = l.entry_id
  JOIN journals j ON j.id = e.journal_id
  GROUP BY e.id, j.symbol, l.currency
  ORDER BY e.entry_date, e.number, j.symbol COLLATE "C", e.id, l.currency`;

/**
 * Opening balance (before the first month), debit and credit turnover per account and currency
 * over [from, to_exclusive), from the daily turnovers.
 */
export const TRIAL_BALANCE = `
  WITH p AS (SELECT ?::uuid AS ledger_id, ?::date AS from_day, ?::date AS to_day)
  SELECT a.code, t.currency,
    coalesce(sum(t.debit - t.credit) FILTER (WHERE t.day < p.from_day), 0)::text AS opening,
    coalesce(sum(t.debit) FILTER (WHERE t.day >= p.from_day), 0)::text AS debit,
    coalesce(sum(t.credit) FILTER (WHERE t.day >= p.from_day), 0)::text AS credit
  FROM p
  JOIN accounts a ON a.ledger_id = p.ledger_id
  JOIN account_daily_turnovers t ON t.account_id = a.id AND t.day < p.to_day
  GROUP BY a.code, t.currency
  ORDER BY a.code COLLATE "C", t.currency`;

// Which lines a listing is about, given p.customer_id and p.account_id (either may be null):
// - customer and account: that account's lines naming the customer;
// - customer only (the customer ledger): the customer's receivable lines;
// - account only: the account's lines;
// - neither (the general ledger): every line.
const LISTING_SCOPE = `
  l.ledger_id = p.ledger_id
  AND (p.account_id IS NULL OR l.account_id = p.account_id)
  AND (p.customer_id IS NULL OR (l.counterparty_id = p.customer_id
       AND (p.account_id IS NOT NULL OR a.role = 'receivable')))`;

const LISTING_PARAMS = `p AS (SELECT ?::uuid AS ledger_id, ?::uuid AS customer_id, ?::uuid AS account_id)`;

/** The currencies a listing's scope has lines in (a few suffice to tell one from many). */
export const LISTING_CURRENCIES = `
  WITH ${LISTING_PARAMS}
  SELECT DISTINCT l.currency
  FROM p JOIN entry_lines l ON l.ledger_id = p.ledger_id JOIN accounts a ON a.id = l.account_id
  WHERE ${LISTING_SCOPE}
  ORDER BY l.currency
  LIMIT 5`;

/**
 * One page of a listing with running balances.
 *
 * The rule for the running balance: it is the balance of the listing's scope (the customer's
 * receivable, the account, or for the general ledger the cumulative total of debits) after the
 * row, over ALL entries of the scope in the currency in listing order — including entries the
 * type filter (payments and refunds by default), the journal filter, from_date or an earlier
 * page hide. Filters choose which rows are shown, never what the balance is (as in the seeds:
 * the balances are those of all transactions, whatever the view).
 *
 * So: `scoped` nets every entry of the scope (up to to_date); `opening` sums in SQL everything
 * before the first row this page may show (before from_date and up to the page token); the
 * window adds the rows from there on; only then are the display filters applied.
 */
export const LISTING_PAGE = `
  WITH ${LISTING_PARAMS},
  q AS (
    SELECT ?::text AS currency, ?::date AS from_date, ?::date AS to_date, ?::boolean AS show_all,
      ?::text AS journal, ?::boolean AS general,
      ?::date AS after_date, ?::bigint AS after_sequence
  ),
  scoped AS (
    SELECT l.entry_id,
      CASE WHEN q.general
        THEN coalesce(sum(l.amount) FILTER (WHERE l.side = 'debit'), 0)
        ELSE sum(CASE WHEN l.side = 'debit' THEN l.amount ELSE -l.amount END)
      END AS amount
    FROM p CROSS JOIN q
    JOIN entry_lines l ON l.ledger_id = p.ledger_id AND l.currency = q.currency
    JOIN accounts a ON a.id = l.account_id
    WHERE ${LISTING_SCOPE} AND (q.to_date IS NULL OR l.entry_date <= q.to_date)
    GROUP BY l.entry_id, q.general
  ),
  keyed AS (
    SELECT e.id, e.entry_date, e.ledger_sequence AS sequence, j.symbol, e.number,
      e.transaction_type, e.reference, e.payment_method, e.description, s.amount,
      (q.from_date IS NULL OR e.entry_date >= q.from_date)
        AND (q.after_sequence IS NULL OR (e.entry_date, e.ledger_sequence)
             > (q.after_date, q.after_sequence)) AS on_page
    FROM scoped s CROSS JOIN q
    JOIN entries e ON e.id = s.entry_id
    JOIN journals j ON j.id = e.journal_id
  ),
  opening AS (SELECT coalesce(sum(amount), 0) AS balance FROM keyed WHERE NOT on_page),
  windowed AS (
    SELECT k.*, (SELECT balance FROM opening) + sum(k.amount) OVER (
      ORDER BY k.entry_date, k.sequence ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW
    ) AS running
    FROM keyed k WHERE k.on_page
  )
  SELECT w.id, to_char(w.entry_date, 'YYYY-MM-DD') AS entry_date, w.symbol AS journal_symbol,
    w.number::text AS number, w.sequence::text AS sequence, w.transaction_type, coalesce(w.reference, '') AS reference,
    coalesce(w.payment_method, '') AS payment_method, coalesce(w.description, '') AS description,
    w.amount::text AS amount, w.running::text AS running_balance,
    coalesce(cp.name, '') AS customer_name
  FROM windowed w CROSS JOIN q CROSS JOIN p
  LEFT JOIN LATERAL (
    -- The customer the entry concerns: the listed customer, else the receivable line's
    -- counterparty, else the first line's that names one.
    SELECT o.name
    FROM entry_lines l2
    JOIN accounts a2 ON a2.id = l2.account_id
    JOIN organizations o ON o.id = l2.counterparty_id
    WHERE l2.entry_id = w.id
    ORDER BY (l2.counterparty_id = p.customer_id) IS TRUE DESC,
      (a2.role = 'receivable') IS TRUE DESC, l2.line_no
    LIMIT 1
  ) cp ON true
  WHERE (q.show_all OR w.transaction_type IN ('payment', 'refund'))
    AND (q.journal IS NULL OR lower(w.symbol) = lower(q.journal))
  ORDER BY w.entry_date, w.sequence
  LIMIT ?`;
