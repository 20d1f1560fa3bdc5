// Writes of the read models. Each statement takes its rows as one json parameter and the model
// versions to write into as a json array, so a whole consumed group is one round trip.

/** The versions events are applied to: the active one and any being rebuilt. */
export const WRITABLE_VERSIONS = `
  SELECT version FROM model_versions WHERE state IN ('active', 'building') ORDER BY version`;

/** The version reports read. */
export const ACTIVE_VERSION = `SELECT version FROM model_versions WHERE state = 'active'`;

/**
 * Inserts lines once per (version, ledger, entry, line) — a replayed entry inserts nothing — and
 * adds only the lines actually inserted to the daily turnovers and the ledger's watermark, so the
 * aggregates stay exact under redelivery and rebuild overlap.
 */
export const APPLY_LINES = `
  WITH v AS (SELECT value::int AS version FROM json_array_elements_text(?::json)),
  input AS (
    SELECT * FROM json_to_recordset(?::json) AS t(
      tenant_id uuid, ledger_id uuid, entry_id uuid, line_no int, ledger_sequence bigint,
      entry_date date, journal_symbol text, number bigint, transaction_type text,
      payment_method text, reference text, description text, due_date date,
      reverses_entry_id uuid, account_code text, is_debit boolean, currency text, amount numeric,
      counterparty_id uuid, product text, memo text)
  ),
  ins AS (
    INSERT INTO rm_lines (version, tenant_id, ledger_id, entry_id, line_no, ledger_sequence,
      entry_date, journal_symbol, number, transaction_type, payment_method, reference,
      description, due_date, reverses_entry_id, account_code, is_debit, currency, amount,
      counterparty_id, product, memo)
    SELECT v.version, i.tenant_id, i.ledger_id, i.entry_id, i.line_no, i.ledger_sequence,
      i.entry_date, i.journal_symbol, i.number, i.transaction_type, i.payment_method,
      i.reference, i.description, i.due_date, i.reverses_entry_id, i.account_code, i.is_debit,
      i.currency, i.amount, i.counterparty_id, i.product, i.memo
    FROM v CROSS JOIN input i
    ON CONFLICT DO NOTHING
    RETURNING version, tenant_id, ledger_id, entry_id, ledger_sequence, entry_date,
      account_code, is_debit, currency, amount, counterparty_id, product
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
    RETURNING ledger_id, current_sequence
  )
  SELECT (SELECT count(*) FROM ins)::int AS inserted,
    coalesce((SELECT json_agg(e) FROM (SELECT DISTINCT version, ledger_id, entry_id FROM ins) e),
      '[]'::json) AS entries,
    coalesce((SELECT json_agg(json_build_object('ledger_id', ledger_id,
      'current_sequence', current_sequence::text)) FROM marks), '[]'::json) AS marks`;

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
