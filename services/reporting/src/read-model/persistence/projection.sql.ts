// Writes of the read models. Each statement takes all its rows at once (column arrays or one json
// parameter) and the model versions to write into, so a whole consumed group is one round trip.

/** The versions events are applied to: the active one and any being rebuilt. */
export const WRITABLE_VERSIONS = `
  SELECT version FROM model_versions WHERE state IN ('active', 'building') ORDER BY version`;

/** The version reports read. */
export const ACTIVE_VERSION = `SELECT version FROM model_versions WHERE state = 'active'`;

/** The columns of a line row, in the order APPLY_LINES takes them as arrays (one per column). */
export const LINE_COLUMNS = [
  ['tenant_id', 'uuid'],
  ['ledger_id', 'uuid'],
  ['entry_id', 'uuid'],
  ['line_no', 'int'],
  ['ledger_sequence', 'bigint'],
  ['entry_date', 'date'],
  ['journal_symbol', 'text'],
  ['number', 'bigint'],
  ['transaction_type', 'text'],
  ['payment_method', 'text'],
  ['reference', 'text'],
  ['description', 'text'],
  ['due_date', 'date'],
  ['reverses_entry_id', 'uuid'],
  ['account_code', 'text'],
  ['is_debit', 'boolean'],
  ['currency', 'text'],
  ['amount', 'numeric'],
  ['counterparty_id', 'uuid'],
  ['product', 'text'],
  ['memo', 'text'],
] as const;

const LINE_NAMES = LINE_COLUMNS.map(([name]) => name).join(', ');

/**
 * Inserts lines once per (version, ledger, entry, line) — a replayed entry inserts nothing — and
 * adds only the lines actually inserted to the daily turnovers and the ledger's watermark, so the
 * aggregates stay exact under redelivery and rebuild overlap. Parameters: the model versions to
 * write into (an int array; NULL: every writable version), then one array per LINE_COLUMNS
 * column (unnest is cheaper to read than a json recordset: no per-row key lookups). Returns the
 * count inserted and the new lines' net effect on customers' receivables (the open-item moves,
 * one per entry/customer/currency; see receivables.ts).
 */
export const APPLY_LINES = `
  WITH v AS (
    SELECT unnest(coalesce(?::int[], ARRAY(
      SELECT version FROM model_versions WHERE state IN ('active', 'building')))) AS version
  ),
  input AS (
    SELECT * FROM unnest(${LINE_COLUMNS.map(([, type]) => `?::${type}[]`).join(', ')})
      AS t(${LINE_NAMES})
  ),
  ins AS (
    INSERT INTO rm_lines (version, ${LINE_NAMES})
    SELECT v.version, ${LINE_COLUMNS.map(([name]) => `i.${name}`).join(', ')}
    FROM v CROSS JOIN input i
    ON CONFLICT DO NOTHING
    RETURNING version, tenant_id, ledger_id, entry_id, ledger_sequence, entry_date,
      journal_symbol, number, transaction_type, due_date, reverses_entry_id, account_code,
      is_debit, currency, amount, counterparty_id, product
  ),
  account_days AS (
    INSERT INTO rm_account_days AS d
      (version, tenant_id, ledger_id, account_code, currency, day, debit, credit)
    SELECT version, tenant_id, ledger_id, account_code, currency, entry_date,
      coalesce(sum(amount) FILTER (WHERE is_debit), 0),
      coalesce(sum(amount) FILTER (WHERE NOT is_debit), 0)
    FROM ins
    GROUP BY version, tenant_id, ledger_id, account_code, currency, entry_date
    ON CONFLICT (version, ledger_id, account_code, currency, day) DO UPDATE
      SET debit = d.debit + excluded.debit, credit = d.credit + excluded.credit
  ),
  detail_days AS (
    INSERT INTO rm_detail_days AS d (version, tenant_id, ledger_id, account_code,
      counterparty_id, product, currency, day, debit, credit)
    SELECT version, tenant_id, ledger_id, account_code,
      coalesce(counterparty_id, '00000000-0000-0000-0000-000000000000'), product, currency,
      entry_date,
      coalesce(sum(amount) FILTER (WHERE is_debit), 0),
      coalesce(sum(amount) FILTER (WHERE NOT is_debit), 0)
    FROM ins
    GROUP BY version, tenant_id, ledger_id, account_code,
      coalesce(counterparty_id, '00000000-0000-0000-0000-000000000000'), product, currency,
      entry_date
    ON CONFLICT (version, ledger_id, day, account_code, counterparty_id, product, currency)
      DO UPDATE SET debit = d.debit + excluded.debit, credit = d.credit + excluded.credit
  ),
  product_months AS (
    INSERT INTO rm_product_months AS d
      (version, tenant_id, ledger_id, month, account_code, product, currency, debit, credit)
    SELECT version, tenant_id, ledger_id, date_trunc('month', entry_date)::date, account_code,
      product, currency,
      coalesce(sum(amount) FILTER (WHERE is_debit), 0),
      coalesce(sum(amount) FILTER (WHERE NOT is_debit), 0)
    FROM ins
    GROUP BY version, tenant_id, ledger_id, 4, account_code, product, currency
    ON CONFLICT (version, ledger_id, month, account_code, product, currency) DO UPDATE
      SET debit = d.debit + excluded.debit, credit = d.credit + excluded.credit
  ),
  counterparty_months AS (
    INSERT INTO rm_counterparty_months AS d
      (version, tenant_id, ledger_id, month, account_code, counterparty_id, currency, debit, credit)
    SELECT version, tenant_id, ledger_id, date_trunc('month', entry_date)::date, account_code,
      coalesce(counterparty_id, '00000000-0000-0000-0000-000000000000'), currency,
      coalesce(sum(amount) FILTER (WHERE is_debit), 0),
      coalesce(sum(amount) FILTER (WHERE NOT is_debit), 0)
    FROM ins
    GROUP BY version, tenant_id, ledger_id, 4, account_code,
      coalesce(counterparty_id, '00000000-0000-0000-0000-000000000000'), currency
    ON CONFLICT (version, ledger_id, month, account_code, counterparty_id, currency) DO UPDATE
      SET debit = d.debit + excluded.debit, credit = d.credit + excluded.credit
  ),
  marks AS (
    INSERT INTO rm_ledger_watermarks AS w (version, tenant_id, ledger_id, current_sequence)
    SELECT version, tenant_id, ledger_id, max(ledger_sequence) FROM ins
    GROUP BY version, tenant_id, ledger_id
    ON CONFLICT (version, ledger_id) DO UPDATE
      SET current_sequence = greatest(w.current_sequence, excluded.current_sequence)
  ),
  moves AS (
    SELECT l.version, l.tenant_id, l.ledger_id, l.counterparty_id AS customer_id, l.currency,
      l.entry_id, to_char(l.entry_date, 'YYYY-MM-DD') AS entry_date, l.number::text AS number,
      l.journal_symbol, l.transaction_type, l.reverses_entry_id,
      to_char(coalesce(l.due_date, l.entry_date), 'YYYY-MM-DD') AS due,
      sum(CASE WHEN l.is_debit THEN l.amount ELSE -l.amount END)::text AS net
    FROM ins l
    JOIN rm_accounts a ON a.version = l.version AND a.ledger_id = l.ledger_id
      AND a.code = l.account_code AND a.role = 'receivable'
    WHERE l.counterparty_id IS NOT NULL
    GROUP BY l.version, l.tenant_id, l.ledger_id, l.counterparty_id, l.currency, l.entry_id,
      l.entry_date, l.number, l.journal_symbol, l.transaction_type, l.reverses_entry_id,
      l.due_date
  )
  SELECT (SELECT count(*) FROM ins)::int AS inserted,
    coalesce((SELECT json_agg(m) FROM moves m), '[]'::json) AS moves`;

/** Accounts by (version, ledger, code); a replay changes nothing. */
export const APPLY_ACCOUNTS = `
  INSERT INTO rm_accounts (version, tenant_id, ledger_id, code, name, type, role)
  SELECT v.value::int, a.tenant_id, a.ledger_id, a.code, a.name, a.type, a.role
  FROM json_array_elements_text(?::json) v
  CROSS JOIN json_to_recordset(?::json)
    AS a(tenant_id uuid, ledger_id uuid, code text, name text, type text, role text)
  ON CONFLICT (version, ledger_id, code) DO UPDATE
    SET name = excluded.name, type = excluded.type, role = excluded.role`;

/** Organizations by (version, id). */
export const APPLY_ORGANIZATIONS = `
  INSERT INTO rm_organizations (version, tenant_id, id, external_id, kind, name)
  SELECT v.value::int, o.tenant_id, o.id, o.external_id, o.kind, o.name
  FROM json_array_elements_text(?::json) v
  CROSS JOIN json_to_recordset(?::json)
    AS o(tenant_id uuid, id uuid, external_id text, kind text, name text)
  ON CONFLICT (version, id) DO UPDATE
    SET name = excluded.name, kind = excluded.kind, external_id = excluded.external_id`;

/** Channel a commit of new lines notifies, payload `<ledger id>:<sequence>` (wakes waiters). */
export const WATERMARK_CHANNEL = 'reporting_watermark';
