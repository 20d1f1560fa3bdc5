import { type EntityManager } from '@mikro-orm/postgresql';
import { rows } from '../../database/sql';
import { type ProfileDefinition } from '../domain/profile';

export interface ProfileRecord {
  id: string;
  version: number;
  name: string;
  definition: ProfileDefinition;
  createdAt: Date;
}

interface ProfileRow extends Record<string, unknown> {
  profile_id: string;
  version: number;
  name: string;
  definition: ProfileDefinition;
  created_at: Date | string;
}

const toProfile = (r: ProfileRow): ProfileRecord => ({
  id: r.profile_id,
  version: Number(r.version),
  name: r.name,
  definition: r.definition,
  createdAt: new Date(r.created_at),
});

export async function headByRequest(em: EntityManager, tenantId: string, requestId: string) {
  const [head] = await rows<{ id: string }>(
    em,
    `SELECT id FROM profile_heads WHERE tenant_id = ? AND request_id = ?`,
    [tenantId, requestId],
  );

  return head?.id;
}

export async function nameOwner(em: EntityManager, tenantId: string, name: string) {
  const [head] = await rows<{ id: string }>(
    em,
    `SELECT id FROM profile_heads WHERE tenant_id = ? AND name = ?`,
    [tenantId, name],
  );

  return head?.id;
}

export async function insertHead(
  em: EntityManager,
  head: { tenantId: string; id: string; name: string; requestId: string },
) {
  await rows(
    em,
    `INSERT INTO profile_heads (tenant_id, id, name, latest_version, request_id)
     VALUES (?, ?, ?, 0, ?)`,
    [head.tenantId, head.id, head.name, head.requestId],
  );
}

/** The head row locked, with its latest version number. */
export async function lockHead(em: EntityManager, tenantId: string, id: string) {
  const [head] = await rows<{ latest_version: number; name: string }>(
    em,
    `SELECT latest_version, name FROM profile_heads WHERE tenant_id = ? AND id = ? FOR UPDATE`,
    [tenantId, id],
  );

  return head ? { latestVersion: Number(head.latest_version), name: head.name } : undefined;
}

export async function insertVersion(
  em: EntityManager,
  tenantId: string,
  id: string,
  version: number,
  name: string,
  definition: ProfileDefinition,
) {
  await rows(
    em,
    `INSERT INTO profile_versions (tenant_id, profile_id, version, name, definition)
     VALUES (?, ?, ?, ?, ?::jsonb)`,
    [tenantId, id, version, name, JSON.stringify(definition)],
  );
  await rows(
    em,
    `UPDATE profile_heads SET latest_version = ?, name = ? WHERE tenant_id = ? AND id = ?`,
    [version, name, tenantId, id],
  );
}

/** One version (0 = latest) of a profile of the tenant. */
export async function findProfile(
  em: EntityManager,
  tenantId: string,
  id: string,
  version = 0,
): Promise<ProfileRecord | undefined> {
  const [found] = await rows<ProfileRow>(
    em,
    `SELECT v.* FROM profile_heads h
     JOIN profile_versions v ON v.tenant_id = h.tenant_id AND v.profile_id = h.id
       AND v.version = CASE WHEN ?::int = 0 THEN h.latest_version ELSE ?::int END
     WHERE h.tenant_id = ? AND h.id = ?`,
    [version, version, tenantId, id],
  );

  return found ? toProfile(found) : undefined;
}

export async function listProfiles(em: EntityManager, tenantId: string, limit: number) {
  const found = await rows<ProfileRow>(
    em,
    `SELECT v.* FROM profile_heads h
     JOIN profile_versions v ON v.tenant_id = h.tenant_id AND v.profile_id = h.id
       AND v.version = h.latest_version
     WHERE h.tenant_id = ? ORDER BY h.name LIMIT ?`,
    [tenantId, limit],
  );

  return found.map(toProfile);
}
