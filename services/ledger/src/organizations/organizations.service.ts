import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { LockMode, MikroORM, UniqueConstraintViolationException } from '@mikro-orm/postgresql';
import { create } from '@bufbuild/protobuf';
import { OrganizationCreatedSchema } from '@kontor/contracts/events/v1/ledger_events_pb';
import { afterPosition, decodePageToken, toPage } from '@kontor/db';
import { LEDGER_LEDGERS_TOPIC } from '@kontor/events';
import { enqueueEvent } from '@kontor/kafka';
import { LedgerEntity } from '../ledgers/persistence/ledger.entity';
import {
  validateNewOrganization,
  type NewOrganization,
  type OrganizationKind,
} from './domain/organization';
import { OrganizationError, OrganizationErrorCode } from './domain/organization.errors';
import { OrganizationEntity } from './persistence/organization.entity';
import { toOrganizationMessage } from './transport/organization.proto-mapper';

export interface OrganizationPage {
  organizations: OrganizationEntity[];
  nextPageToken: string;
}

@Injectable()
export class OrganizationsService {
  constructor(private readonly orm: MikroORM) {}

  /** Creates an organization (and queues OrganizationCreated); its external id is unique in the tenant. */
  async create(tenantId: string, input: NewOrganization): Promise<OrganizationEntity> {
    const valid = validateNewOrganization(input);
    try {
      return await this.orm.em.fork().transactional(async (em) => {
        const clash = await em.findOne(OrganizationEntity, {
          tenantId,
          externalId: valid.externalId,
        });
        if (clash) throw externalIdTaken(valid.externalId, clash);
        const organization = em.create(OrganizationEntity, {
          id: randomUUID(),
          tenantId,
          ...valid,
          primaryLedgerId: null,
          createdAt: new Date(),
        });
        await em.flush();
        // Readers (reporting) learn names and kinds from the event, published with the write.
        await enqueueEvent(em, LEDGER_LEDGERS_TOPIC, {
          key: organization.id,
          schema: OrganizationCreatedSchema,
          message: create(OrganizationCreatedSchema, {
            tenantId,
            organization: toOrganizationMessage(organization),
          }),
        });

        return organization;
      });
    } catch (error) {
      if (!(error instanceof UniqueConstraintViolationException)) throw error;
      // A concurrent create with the same external id won the insert.
      const clash = await this.orm.em
        .fork()
        .findOneOrFail(OrganizationEntity, { tenantId, externalId: valid.externalId });
      throw externalIdTaken(valid.externalId, clash);
    }
  }

  async get(tenantId: string, organizationId: string): Promise<OrganizationEntity> {
    // Another tenant's organization is indistinguishable from a missing one.
    const organization = await this.orm.em
      .fork()
      .findOne(OrganizationEntity, { id: organizationId, tenantId });
    if (!organization) throw organizationNotFound(organizationId);

    return organization;
  }

  /** Pages in creation order (created_at, id), optionally only one kind. */
  async list(
    tenantId: string,
    kind: OrganizationKind | undefined,
    size: number,
    pageToken: string,
  ): Promise<OrganizationPage> {
    const rows = await this.orm.em.fork().find(
      OrganizationEntity,
      {
        tenantId,
        ...(kind === undefined ? {} : { kind }),
        ...afterPosition(decodePageToken(pageToken)),
      },
      { orderBy: { createdAt: 'asc', id: 'asc' }, limit: size + 1 },
    );
    const page = toPage(rows, size);

    return { organizations: page.rows, nextPageToken: page.nextPageToken };
  }

  /** Sets (or, with null, clears) the ledger the organization's monetary events post into. */
  async setPrimaryLedger(
    tenantId: string,
    organizationId: string,
    ledgerId: string | null,
  ): Promise<OrganizationEntity> {
    return this.orm.em.fork().transactional(async (em) => {
      const organization = await em.findOne(
        OrganizationEntity,
        { id: organizationId, tenantId },
        { lockMode: LockMode.PESSIMISTIC_WRITE },
      );
      if (!organization) throw organizationNotFound(organizationId);
      if (ledgerId !== null && !(await em.findOne(LedgerEntity, { id: ledgerId, tenantId }))) {
        throw new OrganizationError(
          OrganizationErrorCode.LEDGER_NOT_FOUND,
          `ledger ${ledgerId} not found`,
          {
            fieldViolations: [
              { field: 'ledger_id', description: 'no such ledger for this tenant' },
            ],
          },
        );
      }
      organization.primaryLedgerId = ledgerId;
      await em.flush();

      return organization;
    });
  }
}

function organizationNotFound(organizationId: string): OrganizationError {
  return new OrganizationError(
    OrganizationErrorCode.ORGANIZATION_NOT_FOUND,
    `organization ${organizationId} not found`,
    {
      fieldViolations: [
        { field: 'organization_id', description: 'no such organization for this tenant' },
      ],
    },
  );
}

function externalIdTaken(externalId: string, clash: OrganizationEntity): OrganizationError {
  return new OrganizationError(
    OrganizationErrorCode.EXTERNAL_ID_TAKEN,
    `external_id "${externalId}" is already used by organization ${clash.id} (${clash.name})`,
    {
      fieldViolations: [
        { field: 'external_id', description: 'already used by another organization' },
      ],
    },
  );
}
