import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { MikroORM, UniqueConstraintViolationException } from '@mikro-orm/postgresql';
import { create } from '@bufbuild/protobuf';
import { timestampFromDate } from '@bufbuild/protobuf/wkt';
import {
  ApiKeyIssuedSchema,
  ApiKeyRevokedSchema,
} from '@kontor/contracts/events/v1/tenant_events_pb';
import { LEDGER_TENANTS_TOPIC } from '@kontor/events';
import { generateApiKey } from '@kontor/grpc';
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

  private async requireTenant(em: MikroORM['em'], tenantId: string): Promise<void> {
    const found = await em.count(TenantEntity, { id: tenantId });
    if (found === 0) {
      throw new TenantError(TenantErrorCode.TENANT_NOT_FOUND, `tenant ${tenantId} not found`, {
        fieldViolations: [{ field: 'tenant_id', description: 'no such tenant' }],
      });
    }
  }
}
