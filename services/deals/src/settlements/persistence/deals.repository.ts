import { type EntityManager } from '@mikro-orm/postgresql';
import { type KeysetPosition } from '@kontor/db';
import { jsonList, rows, textList } from '../../database/sql';
import { type DealHeader } from '../domain/deal-terms';
import { type DealVersion } from '../domain/deal-version';
import { type SettlementFrequency } from '../domain/period';
import { resultFromJson, resultToJson, termsFromJson, termsToJson } from '../domain/serialization';
import { type SettlementResult } from '../domain/settlement-calculator';

export interface StoredVersion extends DealVersion {
  createdAt: Date;
}

export interface DealRecord extends DealHeader {
  id: string;
  tenantId: string;
  name: string;
  createdAt: Date;
  versions: StoredVersion[];
}

export interface LateAdjustmentRecord {
  periodStart: string;
  amount: string;
  entryCount: string;
}

export interface StoredSettlement {
  id: string;
  dealId: string;
  periodStart: string;
  periodEnd: string;
  dealVersion: number;
  watermark: bigint;
  entryCount: bigint;
  result: SettlementResult;
  lateAdjustments: LateAdjustmentRecord[];
  finalizedBy: string;
  finalizedAt: Date;
}

type Row = Record<string, unknown>;

interface DealRow extends Row {
  id: string;
  tenant_id: string;
  name: string;
  payer_organization_id: string;
  currency: string;
  frequency: SettlementFrequency;
  created_at: Date | string;
  request_digest: string;
}

interface VersionRow extends Row {
  deal_id: string;
  version: number;
  effective_from: string;
  terms: Record<string, unknown>;
  changed_by: string;
  reason: string;
  created_at: Date | string;
  request_digest: string;
}

// Timestamps as ISO 8601 text (to_json), which Date parses whatever the driver's type parsers.
const DEAL_COLUMNS = `id, tenant_id, name, payer_organization_id, currency, frequency,
  to_json(created_at) #>> '{}' AS created_at, request_digest`;
const VERSION_COLUMNS = `deal_id, version, effective_from::text AS effective_from, terms, changed_by,
  reason, to_json(created_at) #>> '{}' AS created_at, request_digest`;

function toVersion(row: VersionRow, currency: string): StoredVersion {
  return {
    version: row.version,
    effectiveFrom: row.effective_from,
    terms: termsFromJson(row.terms, currency),
    changedBy: row.changed_by,
    reason: row.reason,
    createdAt: new Date(row.created_at),
  };
}

async function withVersions(em: EntityManager, deals: DealRow[]): Promise<DealRecord[]> {
  if (deals.length === 0) return [];
  const versions = await rows<VersionRow>(
    em,
    `SELECT ${VERSION_COLUMNS} FROM deal_versions
      WHERE deal_id IN (SELECT value::uuid FROM json_array_elements_text(?::json))
      ORDER BY deal_id, version`,
    [jsonList(deals.map((deal) => deal.id))],
  );

  return deals.map((deal) => ({
    id: deal.id,
    tenantId: deal.tenant_id,
    name: deal.name,
    payerOrganizationId: deal.payer_organization_id,
    currency: deal.currency,
    frequency: deal.frequency,
    createdAt: new Date(deal.created_at),
    versions: versions
      .filter((version) => version.deal_id === deal.id)
      .map((version) => toVersion(version, deal.currency)),
  }));
}

/** A deal of the tenant with its versions; `forUpdate` locks it until the transaction ends. */
export async function loadDeal(
  em: EntityManager,
  tenantId: string,
  dealId: string,
  forUpdate = false,
): Promise<DealRecord | null> {
  const found = await rows<DealRow>(
    em,
    `SELECT ${DEAL_COLUMNS} FROM deals WHERE tenant_id = ? AND id = ?${forUpdate ? ' FOR UPDATE' : ''}`,
    [tenantId, dealId],
  );

  return (await withVersions(em, found))[0] ?? null;
}

/** The deal a create request made, with the digest of that request. */
export async function dealByRequest(
  em: EntityManager,
  tenantId: string,
  requestId: string,
): Promise<{ id: string; digest: string } | null> {
  const [row] = await rows<DealRow>(
    em,
    `SELECT ${DEAL_COLUMNS} FROM deals WHERE tenant_id = ? AND request_id = ?`,
    [tenantId, requestId],
  );

  return row ? { id: row.id, digest: row.request_digest } : null;
}

export async function versionByRequest(
  em: EntityManager,
  dealId: string,
  requestId: string,
): Promise<{ version: number; digest: string } | null> {
  const [row] = await rows<VersionRow>(
    em,
    `SELECT ${VERSION_COLUMNS} FROM deal_versions WHERE deal_id = ? AND request_id = ?`,
    [dealId, requestId],
  );

  return row ? { version: row.version, digest: row.request_digest } : null;
}

export interface NewDeal extends DealHeader {
  id: string;
  tenantId: string;
  name: string;
  requestId: string;
  digest: string;
  createdAt: Date;
}

export async function insertDeal(em: EntityManager, deal: NewDeal): Promise<void> {
  await rows(
    em,
    `INSERT INTO deals (id, tenant_id, request_id, request_digest, name, payer_organization_id,
       currency, frequency, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    [
      deal.id,
      deal.tenantId,
      deal.requestId,
      deal.digest,
      deal.name,
      deal.payerOrganizationId,
      deal.currency,
      deal.frequency,
      deal.createdAt,
    ],
  );
  await addParties(em, deal.tenantId, deal.id, [deal.payerOrganizationId]);
}

export async function insertVersion(
  em: EntityManager,
  deal: { id: string; tenantId: string },
  version: DealVersion,
  request: { requestId: string; digest: string },
): Promise<void> {
  await rows(
    em,
    `INSERT INTO deal_versions (deal_id, version, effective_from, terms, changed_by, reason,
       request_id, request_digest) VALUES (?, ?, ?::date, ?::jsonb, ?, ?, ?, ?)`,
    [
      deal.id,
      version.version,
      version.effectiveFrom,
      JSON.stringify(termsToJson(version.terms)),
      version.changedBy,
      version.reason,
      request.requestId,
      request.digest,
    ],
  );
  await addParties(
    em,
    deal.tenantId,
    deal.id,
    version.terms.payees.map((payee) => payee.organizationId),
  );
}

async function addParties(
  em: EntityManager,
  tenantId: string,
  dealId: string,
  organizationIds: string[],
): Promise<void> {
  await rows(
    em,
    `INSERT INTO deal_parties (tenant_id, organization_id, deal_id)
     SELECT ?, value::uuid, ? FROM json_array_elements_text(?::json)
     ON CONFLICT DO NOTHING`,
    [tenantId, dealId, jsonList(organizationIds)],
  );
}

/** The tenant's deals in (created_at, id) order after a position, optionally of one party. */
export async function listDeals(
  em: EntityManager,
  tenantId: string,
  organizationId: string | null,
  after: KeysetPosition | null,
  limit: number,
): Promise<DealRecord[]> {
  const found = await rows<DealRow>(
    em,
    `SELECT ${DEAL_COLUMNS} FROM deals d
      WHERE tenant_id = ?
        AND (?::uuid IS NULL OR EXISTS (SELECT 1 FROM deal_parties p
              WHERE p.tenant_id = d.tenant_id AND p.deal_id = d.id AND p.organization_id = ?::uuid))
        AND (?::timestamptz IS NULL OR (created_at, id) > (?::timestamptz, ?::uuid))
      ORDER BY created_at, id LIMIT ?`,
    [
      tenantId,
      organizationId,
      organizationId,
      after?.createdAt ?? null,
      after?.createdAt ?? null,
      after?.id ?? null,
      limit,
    ],
  );

  return withVersions(em, found);
}

/** Of these organization ids, those the tenant's organizations replica does not hold. */
export async function unknownOrganizations(
  em: EntityManager,
  tenantId: string,
  organizationIds: string[],
): Promise<string[]> {
  const known = await rows<{ id: string }>(
    em,
    `SELECT id::text AS id FROM organizations WHERE tenant_id = ? AND id::text IN ${textList()}`,
    [tenantId, jsonList(organizationIds.map((id) => id.toLowerCase()))],
  );
  const found = new Set(known.map((row) => row.id));

  return organizationIds.filter((id) => !found.has(id.toLowerCase()));
}

interface SettlementRow extends Row {
  id: string;
  deal_id: string;
  period_start: string;
  period_end: string;
  deal_version: number;
  watermark: string;
  entry_count: string;
  result: Record<string, unknown>;
  late_adjustments: LateAdjustmentRecord[];
  finalized_by: string;
  finalized_at: Date | string;
}

/** The deal's finalized settlements, oldest period first. */
export async function loadSettlements(
  em: EntityManager,
  tenantId: string,
  dealId: string,
  currency: string,
): Promise<StoredSettlement[]> {
  const found = await rows<SettlementRow>(
    em,
    `SELECT id, deal_id, period_start::text AS period_start, period_end::text AS period_end,
       deal_version, watermark::text AS watermark, entry_count::text AS entry_count, result,
       late_adjustments, finalized_by, to_json(finalized_at) #>> '{}' AS finalized_at
       FROM settlements WHERE tenant_id = ? AND deal_id = ? ORDER BY period_start`,
    [tenantId, dealId],
  );

  return found.map((row) => ({
    id: row.id,
    dealId: row.deal_id,
    periodStart: row.period_start,
    periodEnd: row.period_end,
    dealVersion: row.deal_version,
    watermark: BigInt(row.watermark),
    entryCount: BigInt(row.entry_count),
    result: resultFromJson(row.result, currency),
    lateAdjustments: row.late_adjustments,
    finalizedBy: row.finalized_by,
    finalizedAt: new Date(row.finalized_at),
  }));
}

export async function insertSettlement(
  em: EntityManager,
  tenantId: string,
  settlement: StoredSettlement,
): Promise<void> {
  await rows(
    em,
    `INSERT INTO settlements (id, tenant_id, deal_id, period_start, period_end, deal_version,
       watermark, entry_count, result, late_adjustments, finalized_by, finalized_at)
     VALUES (?, ?, ?, ?::date, ?::date, ?, ?::bigint, ?::bigint, ?::jsonb, ?::jsonb, ?, ?)`,
    [
      settlement.id,
      tenantId,
      settlement.dealId,
      settlement.periodStart,
      settlement.periodEnd,
      settlement.dealVersion,
      settlement.watermark.toString(),
      settlement.entryCount.toString(),
      JSON.stringify(resultToJson(settlement.result)),
      JSON.stringify(settlement.lateAdjustments),
      settlement.finalizedBy,
      settlement.finalizedAt,
    ],
  );
}

/** Of these ledger ids, those the tenant's ledgers replica does not hold. */
export async function unknownLedgers(
  em: EntityManager,
  tenantId: string,
  ledgerIds: string[],
): Promise<string[]> {
  const known = await rows<{ id: string }>(
    em,
    `SELECT id::text AS id FROM ledgers WHERE tenant_id = ? AND id::text IN ${textList()}`,
    [tenantId, jsonList(ledgerIds.map((id) => id.toLowerCase()))],
  );
  const found = new Set(known.map((row) => row.id));

  return ledgerIds.filter((id) => !found.has(id.toLowerCase()));
}
