// Writes and reads of the settlements read model (rm_settlements, rm_settlement_shares).

/**
 * Inserts settlements once per (version, settlement id) and their shares once per (version,
 * settlement id, share); a replayed event inserts nothing. Parameters: the versions (json array),
 * the settlement records (json, shares nested).
 */
export const APPLY_SETTLEMENTS = `
  WITH v AS (SELECT value::int AS version FROM json_array_elements_text(?::json)),
  input AS (
    SELECT * FROM json_to_recordset(?::json) AS t(
      tenant_id uuid, settlement_id uuid, deal_id uuid, deal_name text,
      payer_organization_id uuid, period_start date, period_end date, period_label text,
      currency text, total numeric, finalize_time timestamptz, shares json)
  ),
  ins AS (
    INSERT INTO rm_settlements (version, tenant_id, settlement_id, deal_id, deal_name,
      payer_organization_id, period_start, period_end, period_label, currency, total,
      finalize_time)
    SELECT v.version, i.tenant_id, i.settlement_id, i.deal_id, i.deal_name,
      i.payer_organization_id, i.period_start, i.period_end, i.period_label, i.currency, i.total,
      i.finalize_time
    FROM v CROSS JOIN input i
    ON CONFLICT DO NOTHING
    RETURNING version, settlement_id
  ),
  shares AS (
    INSERT INTO rm_settlement_shares (version, tenant_id, settlement_id, share_no,
      organization_id, role, currency, amount, period_start)
    SELECT ins.version, i.tenant_id, i.settlement_id, s.share_no, s.organization_id, s.role,
      i.currency, s.amount, i.period_start
    FROM ins JOIN input i ON i.settlement_id = ins.settlement_id
    CROSS JOIN json_to_recordset(i.shares)
      AS s(share_no int, organization_id uuid, role text, amount numeric)
    ON CONFLICT DO NOTHING
    RETURNING 1
  )
  SELECT (SELECT count(*) FROM ins)::int AS inserted, (SELECT count(*) FROM shares)::int AS shares`;

/**
 * The shares of a tenant's settlements whose period starts in [from, to], for one deal or one
 * organization (every share of the settlements it pays, its own share where it is a payee),
 * optionally in one currency. Parameters: version, tenant, from, to, currency|null,
 * deal|null, organization|null (twice).
 */
export const PROFIT_SHARING_ROWS = `
  SELECT s.settlement_id, s.deal_id, s.deal_name, s.period_label,
    s.period_start::text AS period_start, s.period_end::text AS period_end,
    s.payer_organization_id, coalesce(payer.name, '') AS payer_name,
    sh.organization_id AS payee_organization_id, coalesce(payee.name, '') AS payee_name,
    sh.role, s.currency, sh.amount::text AS amount, s.total::text AS total,
    to_char(s.finalize_time AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS finalize_time
  FROM rm_settlements s
  JOIN rm_settlement_shares sh ON sh.version = s.version AND sh.settlement_id = s.settlement_id
  LEFT JOIN rm_organizations payer
    ON payer.version = s.version AND payer.id = s.payer_organization_id
  LEFT JOIN rm_organizations payee ON payee.version = s.version AND payee.id = sh.organization_id
  WHERE s.version = ? AND s.tenant_id = ? AND s.period_start BETWEEN ?::date AND ?::date
    AND (?::text IS NULL OR s.currency = ?::text)
    AND (?::uuid IS NULL OR s.deal_id = ?::uuid)
    AND (?::uuid IS NULL OR s.payer_organization_id = ?::uuid OR sh.organization_id = ?::uuid)
  ORDER BY s.deal_name COLLATE "C", s.deal_id, s.period_start, s.settlement_id, sh.share_no`;

/** Whether the tenant has the organization in a version. */
export const ORGANIZATION_OF_TENANT = `
  SELECT EXISTS (SELECT 1 FROM rm_organizations WHERE version = ? AND tenant_id = ? AND id = ?)
    AS known`;

/** Names of organizations in a version (json array of ids). */
export const ORGANIZATION_NAMES = `
  SELECT id, name FROM rm_organizations
  WHERE version = ? AND tenant_id = ?
    AND id IN (SELECT value::uuid FROM json_array_elements_text(?::json))`;

/** How many settlements the tenant has in a version and when the latest was finalized. */
export const SETTLEMENT_FRESHNESS = `
  SELECT count(*)::text AS settlement_count,
    to_char(max(finalize_time) AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')
      AS last_finalize_time
  FROM rm_settlements WHERE version = ? AND tenant_id = ?`;

/** Whether a settlement is in a version (for the tenant). */
export const SETTLEMENT_KNOWN = `
  SELECT EXISTS (SELECT 1 FROM rm_settlements
    WHERE version = ? AND tenant_id = ? AND settlement_id = ?) AS known`;
