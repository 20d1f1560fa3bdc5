import { randomUUID } from 'node:crypto';
import { create } from '@bufbuild/protobuf';
import {
  AccountCreatedSchema,
  type AccountCreated,
} from '@kontor/contracts/events/v1/ledger_events_pb';
import { AccountRole, AccountType } from '@kontor/contracts/ledger/v1/account_service_pb';
import { MikroORM } from '@mikro-orm/postgresql';
import { migrateUp } from '@kontor/db';
import { ormOptions } from '@kontor/service-kit';
import { createTestDatabase, type TestDatabase } from '@kontor/testing';
import { REPORTING_ENTITIES } from '../../src/database/entities';
import { REPORTING_MIGRATIONS } from '../../src/database/migrations';
import { ReadModelService } from '../../src/read-model/read-model.service';

export interface ReadModelDb {
  orm: MikroORM;
  readModel: ReadModelService;
  close(): Promise<void>;
}

/** The reporting schema, migrated, in a database of its own, for read-model tests in process. */
export async function openReadModelDb(): Promise<ReadModelDb> {
  const database: TestDatabase = await createTestDatabase(['reporting']);
  const orm = await MikroORM.init(
    ormOptions({
      service: 'reporting',
      databaseUrl: database.serviceUrls.reporting!,
      entities: REPORTING_ENTITIES,
      migrations: REPORTING_MIGRATIONS,
    }),
  );
  await migrateUp(orm);

  return {
    orm,
    readModel: new ReadModelService(orm),
    close: async () => {
      await orm.close();
      await database.drop();
    },
  };
}

/** The event of a ledger's receivable account 1200 (the open-item model follows its lines). */
export function receivableAccount(tenantId: string, ledgerId: string): AccountCreated {
  return create(AccountCreatedSchema, {
    tenantId,
    account: {
      id: randomUUID(),
      ledgerId,
      code: '1200',
      name: 'Accounts receivable',
      type: AccountType.ASSET,
      role: AccountRole.RECEIVABLE,
    },
  });
}
