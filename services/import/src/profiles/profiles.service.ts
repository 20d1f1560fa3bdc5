import { randomUUID } from 'node:crypto';
import { isDeepStrictEqual } from 'node:util';
import { Injectable } from '@nestjs/common';
import { MikroORM } from '@mikro-orm/postgresql';
import { ImportError, ImportErrorCode } from './domain/import.errors';
import { assertValidProfile, type ProfileDefinition } from './domain/profile';
import {
  findProfile,
  headByRequest,
  insertHead,
  insertVersion,
  listProfiles,
  lockHead,
  nameOwner,
  type ProfileRecord,
} from './persistence/profile.repository';

function notFound(id: string, version: number): ImportError {
  const which = version === 0 ? '' : ` version ${version}`;

  return new ImportError(ImportErrorCode.PROFILE_NOT_FOUND, `profile ${id}${which} not found`, {
    fieldViolations: [{ field: 'profile_id', description: 'no such profile in this tenant' }],
  });
}

function nameTaken(name: string): ImportError {
  return new ImportError(
    ImportErrorCode.PROFILE_NAME_TAKEN,
    `a profile is already named "${name}"`,
    {
      fieldViolations: [{ field: 'name', description: 'already used by another profile' }],
    },
  );
}

function requestIdReused(requestId: string, profileId: string): ImportError {
  return new ImportError(
    ImportErrorCode.REQUEST_ID_REUSED,
    `request_id "${requestId}" was already used to create profile ${profileId} with a ` +
      'different name or definition; use a new request_id for a new profile',
    {
      fieldViolations: [
        { field: 'request_id', description: 'already used with a different name or definition' },
      ],
    },
  );
}

/** Definitions as stored (JSON): an absent optional and an undefined one are the same. */
const sameDefinition = (stored: ProfileDefinition, given: ProfileDefinition) =>
  isDeepStrictEqual(stored, JSON.parse(JSON.stringify(given)));

/** Import profiles, versioned per tenant: a job keeps the version it was created with. */
@Injectable()
export class ProfilesService {
  constructor(private readonly orm: MikroORM) {}

  async create(
    tenantId: string,
    requestId: string,
    name: string,
    definition: ProfileDefinition,
  ): Promise<ProfileRecord> {
    if (requestId.length < 1 || requestId.length > 200) {
      throw new ImportError(
        ImportErrorCode.INVALID_PROFILE,
        'request_id: must be 1-200 characters',
        {
          fieldViolations: [{ field: 'request_id', description: 'must be 1-200 characters' }],
        },
      );
    }
    assertValidProfile(name, definition);

    return this.orm.em.fork().transactional(async (em) => {
      const earlier = await headByRequest(em, tenantId, requestId);
      if (earlier) {
        const original = (await findProfile(em, tenantId, earlier, 1))!;
        if (original.name === name && sameDefinition(original.definition, definition)) {
          return original;
        }
        throw requestIdReused(requestId, original.id);
      }
      if (await nameOwner(em, tenantId, name)) throw nameTaken(name);
      const id = randomUUID();
      await insertHead(em, { tenantId, id, name, requestId });
      await insertVersion(em, tenantId, id, 1, name, definition);

      return (await findProfile(em, tenantId, id, 1))!;
    });
  }

  async update(
    tenantId: string,
    id: string,
    expectedVersion: number,
    name: string,
    definition: ProfileDefinition,
  ): Promise<ProfileRecord> {
    return this.orm.em.fork().transactional(async (em) => {
      const head = await lockHead(em, tenantId, id);
      if (!head) throw notFound(id, 0);
      const newName = name === '' ? head.name : name;
      assertValidProfile(newName, definition);
      if (head.latestVersion === expectedVersion + 1) {
        // A retry of the update that made the latest version answers with that version.
        const latest = (await findProfile(em, tenantId, id, head.latestVersion))!;
        if (latest.name === newName && sameDefinition(latest.definition, definition)) return latest;
      }
      if (head.latestVersion !== expectedVersion) {
        throw new ImportError(
          ImportErrorCode.PROFILE_VERSION_CONFLICT,
          `profile ${id} is at version ${head.latestVersion}, not ${expectedVersion}: read it again`,
          {
            fieldViolations: [{ field: 'expected_version', description: 'not the latest version' }],
          },
        );
      }
      const owner = await nameOwner(em, tenantId, newName);
      if (owner && owner !== id) throw nameTaken(newName);
      await insertVersion(em, tenantId, id, expectedVersion + 1, newName, definition);

      return (await findProfile(em, tenantId, id, expectedVersion + 1))!;
    });
  }

  async get(tenantId: string, id: string, version: number): Promise<ProfileRecord> {
    const found = await findProfile(this.orm.em.fork(), tenantId, id, version);
    if (!found) throw notFound(id, version);

    return found;
  }

  list(tenantId: string, limit: number): Promise<ProfileRecord[]> {
    return listProfiles(this.orm.em.fork(), tenantId, limit);
  }
}
