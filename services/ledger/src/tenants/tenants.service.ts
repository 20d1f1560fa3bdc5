import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { MikroORM, UniqueConstraintViolationException } from '@mikro-orm/postgresql';
import { create } from '@bufbuild/protobuf';
import { timestampFromDate } from '@bufbuild/protobuf/wkt';
import {
  ApiKeyIssuedSchema,
  ApiKeyRevokedSchema,
} from '@kontor/contracts/events/v1/tenant_events_pb';
import { afterPosition, decodePageToken, toPage } from '@kontor/db';
import { LEDGER_TENANTS_TOPIC } from '@kontor/events';
import { API_KEY_ID_SHAPE, generateApiKey } from '@kontor/grpc';
import { enqueueEvent } from '@kontor/kafka';
import { validateApiKeyLabel, validateNewTenant, type NewTenant } from './domain/tenant';
import { TenantError, TenantErrorCode } from './domain/tenant.errors';
import { ApiKeyEntity } from './persistence/api-key.entity';
import { TenantEntity } from './persistence/tenant.entity';

export interface IssuedApiKey {
  keyId: string;
  /** The full bearer token; it exists only in this response. */
  token: string;
}

export interface Page<Row> {
  rows: Row[];
  nextPageToken: string;
}

@Injectable()
export class TenantsService {
  constructor(private readonly orm: MikroORM) {}

  async create(input: NewTenant): Promise<TenantEntity> {
    const tenant = validateNewTenant(input);
    try {
      return await this.orm.em.fork().transactional(async (em) => {
        const entity = em.create(TenantEntity, {
          id: randomUUID(),
          ...tenant,
          createdAt: new Date(),
        });
        await em.flush();

        return entity;
      });
    } catch (error) {
      if (!(error instanceof UniqueConstraintViolationException)) throw error;
      throw new TenantError(
        TenantErrorCode.TENANT_SLUG_TAKEN,
        `tenant slug "${tenant.slug}" is already taken`,
        { fieldViolations: [{ field: 'slug', description: 'already used by another tenant' }] },
      );
    }
  }

  /** Issues a key and announces its hash so every service can authenticate it. */
  async issueApiKey(tenantId: string, label: string): Promise<IssuedApiKey> {
    const validLabel = validateApiKeyLabel(label);
    const key = generateApiKey();

    return this.orm.em.fork().transactional(async (em) => {
      await this.requireTenant(em, tenantId);
      const entity = em.create(ApiKeyEntity, {
        keyId: key.keyId,
        tenantId,
        label: validLabel,
        secretSha256: key.secretSha256,
        issuedAt: new Date(),
        revokedAt: null,
      });
      await em.flush();
      await enqueueEvent(em, LEDGER_TENANTS_TOPIC, {
        key: tenantId,
        schema: ApiKeyIssuedSchema,
        message: create(ApiKeyIssuedSchema, {
          tenantId,
          keyId: entity.keyId,
          secretSha256: entity.secretSha256,
          issueTime: timestampFromDate(entity.issuedAt),
        }),
      });

      return { keyId: key.keyId, token: key.token };
    });
  }

  /** Revokes a key; revoking twice keeps the first revocation time. */
  async revokeApiKey(tenantId: string, keyId: string): Promise<Date> {
    return this.orm.em.fork().transactional(async (em) => {
      const key = await em.findOne(ApiKeyEntity, { keyId, tenantId });
      if (!key) {
        throw new TenantError(
          TenantErrorCode.API_KEY_NOT_FOUND,
          `API key ${keyId} not found for tenant ${tenantId}`,
          { fieldViolations: [{ field: 'key_id', description: 'no such key for this tenant' }] },
        );
      }
      if (key.revokedAt) return key.revokedAt;
      key.revokedAt = new Date();
      await em.flush();
      await enqueueEvent(em, LEDGER_TENANTS_TOPIC, {
        key: tenantId,
        schema: ApiKeyRevokedSchema,
        message: create(ApiKeyRevokedSchema, {
          tenantId,
          keyId,
          revokeTime: timestampFromDate(key.revokedAt),
        }),
      });

      return key.revokedAt;
    });
  }

  /** Pages in creation order (created_at, id), stable while tenants are being added. */
  async list(size: number, pageToken: string): Promise<Page<TenantEntity>> {
    const rows = await this.orm.em
      .fork()
      .find(TenantEntity, afterPosition(decodePageToken(pageToken)), {
        orderBy: { createdAt: 'asc', id: 'asc' },
        limit: size + 1,
      });

    return toPage(rows, size);
  }

  async get(tenantId: string): Promise<TenantEntity> {
    const tenant = await this.orm.em.fork().findOne(TenantEntity, { id: tenantId });
    if (!tenant) throw tenantNotFound(tenantId);

    return tenant;
  }

  /** Pages a tenant's keys in issue order (issued_at, key_id), revoked ones included. */
  async listApiKeys(
    tenantId: string,
    size: number,
    pageToken: string,
  ): Promise<Page<ApiKeyEntity>> {
    const em = this.orm.em.fork();
    await this.requireTenant(em, tenantId);
    const after = afterPosition(decodePageToken(pageToken, API_KEY_ID_SHAPE), {
      createdAt: 'issuedAt',
      id: 'keyId',
    });
    const keys = await em.find(
      ApiKeyEntity,
      { tenantId, ...after },
      { orderBy: { issuedAt: 'asc', keyId: 'asc' }, limit: size + 1 },
    );
    const page = toPage(
      keys.map((key) => ({ createdAt: key.issuedAt, id: key.keyId, key })),
      size,
    );

    return { rows: page.rows.map((row) => row.key), nextPageToken: page.nextPageToken };
  }

  private async requireTenant(em: MikroORM['em'], tenantId: string): Promise<void> {
    const found = await em.count(TenantEntity, { id: tenantId });
    if (found === 0) throw tenantNotFound(tenantId);
  }
}

function tenantNotFound(tenantId: string): TenantError {
  return new TenantError(TenantErrorCode.TENANT_NOT_FOUND, `tenant ${tenantId} not found`, {
    fieldViolations: [{ field: 'tenant_id', description: 'no such tenant' }],
  });
}
