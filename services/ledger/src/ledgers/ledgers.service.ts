import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import {
  MikroORM,
  UniqueConstraintViolationException,
  type EntityManager,
} from '@mikro-orm/postgresql';
import { LedgerCreatedSchema } from '@kontor/contracts/events/v1/ledger_events_pb';
import { timestampFromDate } from '@bufbuild/protobuf/wkt';
import { create } from '@bufbuild/protobuf';
import { afterPosition, decodePageToken, toPage } from '@kontor/db';
import { enqueueEvent } from '@kontor/kafka';
import { LEDGER_LEDGERS_TOPIC } from '@kontor/events';
import { DEFAULT_CHART } from '../accounts/domain/default-chart';
import { enqueueAccountsCreated } from '../accounts/persistence/account-events';
import { persistChart } from '../accounts/persistence/chart';
import { OrganizationEntity } from '../organizations/persistence/organization.entity';
import {
  isSameLedgerRequest,
  validateNewLedger,
  type NewLedger,
  type ValidLedger,
} from './domain/ledger';
import { LedgerError, LedgerErrorCode } from './domain/ledger.errors';
import { LedgerEntity } from './persistence/ledger.entity';

export interface CreatedLedger {
  ledger: LedgerEntity;
  replayed: boolean;
}

export interface LedgerPage {
  ledgers: LedgerEntity[];
  nextPageToken: string;
}

@Injectable()
export class LedgersService {
  constructor(private readonly orm: MikroORM) {}

  /**
   * Creates a ledger and queues LedgerCreated in the same transaction. Idempotent by request id:
   * a retry returns the original ledger; the same id with other content is REQUEST_ID_REUSED.
   */
  async create(tenantId: string, input: NewLedger): Promise<CreatedLedger> {
    const request = validateNewLedger(input);
    try {
      return await this.orm.em.fork().transactional(async (em) => {
        const original = await em.findOne(LedgerEntity, { tenantId, requestId: request.requestId });
        if (original) return { ledger: this.replay(original, request), replayed: true };
        await requireOwner(em, tenantId, request.ownerOrganizationId);
        const ledger = em.create(LedgerEntity, {
          id: randomUUID(),
          tenantId,
          requestId: request.requestId,
          name: request.name,
          baseCurrency: request.baseCurrency,
          ownerOrganizationId: request.ownerOrganizationId,
          createDefaultChart: request.createDefaultChart,
          createdAt: new Date(),
        });
        await em.flush();
        const chart = request.createDefaultChart
          ? persistChart(em, tenantId, ledger.id, DEFAULT_CHART)
          : [];
        await em.flush();
        await enqueueEvent(em, LEDGER_LEDGERS_TOPIC, {
          key: ledger.id,
          schema: LedgerCreatedSchema,
          message: create(LedgerCreatedSchema, {
            tenantId,
            ledgerId: ledger.id,
            name: ledger.name,
            baseCurrency: ledger.baseCurrency,
            createTime: timestampFromDate(ledger.createdAt),
          }),
        });
        await enqueueAccountsCreated(em, chart);

        return { ledger, replayed: false };
      });
    } catch (error) {
      // A concurrent twin of this request won the insert: answer as its replay.
      if (!(error instanceof UniqueConstraintViolationException)) throw error;
      const original = await this.orm.em
        .fork()
        .findOneOrFail(LedgerEntity, { tenantId, requestId: request.requestId });

      return { ledger: this.replay(original, request), replayed: true };
    }
  }

  async get(tenantId: string, ledgerId: string): Promise<LedgerEntity> {
    // Another tenant's ledger is indistinguishable from a missing one.
    const ledger = await this.orm.em.fork().findOne(LedgerEntity, { id: ledgerId, tenantId });
    if (!ledger) {
      throw new LedgerError(LedgerErrorCode.LEDGER_NOT_FOUND, `ledger ${ledgerId} not found`, {
        fieldViolations: [{ field: 'ledger_id', description: 'no such ledger for this tenant' }],
      });
    }

    return ledger;
  }

  /** Pages in creation order (created_at, id), stable while ledgers are being added. */
  async list(tenantId: string, size: number, pageToken: string): Promise<LedgerPage> {
    const rows = await this.orm.em
      .fork()
      .find(
        LedgerEntity,
        { tenantId, ...afterPosition(decodePageToken(pageToken)) },
        { orderBy: { createdAt: 'asc', id: 'asc' }, limit: size + 1 },
      );
    const page = toPage(rows, size);

    return { ledgers: page.rows, nextPageToken: page.nextPageToken };
  }

  private replay(original: LedgerEntity, retry: ValidLedger): LedgerEntity {
    if (!isSameLedgerRequest(original, retry)) {
      throw new LedgerError(
        LedgerErrorCode.REQUEST_ID_REUSED,
        `request_id "${retry.requestId}" was already used to create ledger ${original.id} ` +
          `with different content; use a new request_id for a new ledger`,
        {
          fieldViolations: [
            {
              field: 'request_id',
              description: 'already used with a different name, currency, owner or chart option',
            },
          ],
        },
      );
    }

    return original;
  }
}

async function requireOwner(
  em: EntityManager,
  tenantId: string,
  organizationId: string | null,
): Promise<void> {
  if (organizationId === null) return;
  // Another tenant's organization is indistinguishable from a missing one.
  if (await em.findOne(OrganizationEntity, { id: organizationId, tenantId })) return;
  throw new LedgerError(
    LedgerErrorCode.OWNER_ORGANIZATION_NOT_FOUND,
    `owner organization ${organizationId} not found`,
    {
      fieldViolations: [
        { field: 'owner_organization_id', description: 'no such organization for this tenant' },
      ],
    },
  );
}
