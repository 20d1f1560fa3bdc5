import { fromBinary } from '@bufbuild/protobuf';
import {
  AccountCreatedSchema,
  OrganizationCreatedSchema,
} from '@kontor/contracts/events/v1/ledger_events_pb';
import {
  AccountService,
  AccountRole,
  AccountType,
} from '@kontor/contracts/ledger/v1/account_service_pb';
import { LedgerService } from '@kontor/contracts/ledger/v1/ledger_service_pb';
import {
  OrganizationKind,
  OrganizationService,
} from '@kontor/contracts/ledger/v1/organization_service_pb';
import { startLedgerHarness, type LedgerHarness, type TestTenant } from './support/ledger-harness';

interface OutboxRow {
  key: string;
  topic: string;
  payload: Buffer;
}

// Readers such as reporting learn account names, types and organization names only from events.
describe('master data events (AccountCreated, OrganizationCreated on ledger.ledgers.v1)', () => {
  let harness: LedgerHarness;
  let tenant: TestTenant;

  beforeAll(async () => {
    harness = await startLedgerHarness();
    tenant = await harness.newTenant();
  });
  afterAll(() => harness?.stop());

  const outboxOf = (ceType: string, key: string) =>
    harness.query<OutboxRow>(
      `SELECT key, topic, payload FROM ledger.outbox WHERE ce_type = $1 AND key = $2 ORDER BY id`,
      [ceType, key],
    );

  it('queues OrganizationCreated with the organization in the same transaction as the create', async () => {
    const { organization } = await harness
      .client(OrganizationService, tenant.token)
      .createOrganization({ externalId: 'ev-c1', kind: OrganizationKind.CUSTOMER, name: 'Acme' });
    const rows = await outboxOf('kontor.events.v1.OrganizationCreated', organization!.id);
    expect(rows).toHaveLength(1);
    expect(rows[0].topic).toBe('ledger.ledgers.v1');
    const event = fromBinary(OrganizationCreatedSchema, rows[0].payload);
    expect(event.tenantId).toBe(tenant.id);
    expect(event.organization).toMatchObject({
      id: organization!.id,
      name: 'Acme',
      kind: OrganizationKind.CUSTOMER,
      externalId: 'ev-c1',
    });
  });

  it('queues AccountCreated for every account of the default chart and for an added account', async () => {
    const { ledger } = await harness.client(LedgerService, tenant.token).createLedger({
      requestId: 'ev-book',
      name: 'Events book',
      baseCurrency: 'EUR',
      createDefaultChart: true,
    });
    const accounts = harness.client(AccountService, tenant.token);
    const { accounts: chart } = await accounts.listAccounts({ ledgerId: ledger!.id });
    await accounts.createAccount({
      ledgerId: ledger!.id,
      code: '4900',
      name: 'Other income',
      type: AccountType.REVENUE,
    });

    const events = (await outboxOf('kontor.events.v1.AccountCreated', ledger!.id)).map((row) =>
      fromBinary(AccountCreatedSchema, row.payload),
    );
    expect(events.map((event) => event.account!.code).sort()).toEqual(
      [...chart.map((account) => account.code), '4900'].sort(),
    );
    expect(events.every((event) => event.tenantId === tenant.id)).toBe(true);
    const receivable = events.find((event) => event.account!.role === AccountRole.RECEIVABLE);
    expect(receivable?.account).toMatchObject({ code: '1200', type: AccountType.ASSET });
    expect(events.find((event) => event.account!.code === '4900')?.account).toMatchObject({
      name: 'Other income',
      type: AccountType.REVENUE,
    });
  });

  it('queues nothing for a rejected account', async () => {
    const { ledger } = await harness.client(LedgerService, tenant.token).createLedger({
      requestId: 'ev-book-2',
      name: 'Events book 2',
      baseCurrency: 'EUR',
      createDefaultChart: false,
    });
    const accounts = harness.client(AccountService, tenant.token);
    await accounts.createAccount({
      ledgerId: ledger!.id,
      code: '1000',
      name: 'Cash',
      type: AccountType.ASSET,
    });
    await expect(
      accounts.createAccount({
        ledgerId: ledger!.id,
        code: '1000',
        name: 'Cash again',
        type: AccountType.ASSET,
      }),
    ).rejects.toThrow();
    expect(await outboxOf('kontor.events.v1.AccountCreated', ledger!.id)).toHaveLength(1);
  });
});
