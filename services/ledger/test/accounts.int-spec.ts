import {
  AccountRole,
  AccountService,
  AccountType,
  BalanceLimit,
} from '@kontor/contracts/ledger/v1/account_service_pb';
import { LedgerService } from '@kontor/contracts/ledger/v1/ledger_service_pb';
import {
  OrganizationKind,
  OrganizationService,
} from '@kontor/contracts/ledger/v1/organization_service_pb';
import { GrpcStatus } from '@kontor/grpc';
import { startLedgerHarness, type LedgerHarness, type TestTenant } from './support/ledger-harness';

const UNKNOWN_ID = '00000000-0000-4000-8000-000000000000';

describe('accounts and the default chart', () => {
  let harness: LedgerHarness;
  let tenant: TestTenant;
  let ledgerId: string;

  beforeAll(async () => {
    harness = await startLedgerHarness();
    tenant = await harness.newTenant();
    const { ledger } = await harness.client(LedgerService, tenant.token).createLedger({
      requestId: 'accounts-book',
      name: 'Accounts book',
      baseCurrency: 'EUR',
    });
    ledgerId = ledger!.id;
  });
  afterAll(() => harness?.stop());

  const accounts = () => harness.client(AccountService, tenant.token);
  const ledgers = () => harness.client(LedgerService, tenant.token);
  const newOrganization = async (token = tenant.token) => {
    const { organization } = await harness.client(OrganizationService, token).createOrganization({
      externalId: `owner-${Math.random()}`,
      kind: OrganizationKind.OPERATOR,
      name: 'Owner',
    });

    return organization!.id;
  };

  describe('AccountService', () => {
    it('creates an account and gets it by code', async () => {
      const { account } = await accounts().createAccount({
        ledgerId,
        code: '1210.EU-1',
        name: 'Receivables EU',
        type: AccountType.ASSET,
        role: AccountRole.RECEIVABLE,
        balanceLimit: BalanceLimit.NO_POSITIVE,
      });
      expect(account).toMatchObject({
        ledgerId,
        code: '1210.EU-1',
        type: AccountType.ASSET,
        role: AccountRole.RECEIVABLE,
        balanceLimit: BalanceLimit.NO_POSITIVE,
      });
      const { account: got } = await accounts().getAccount({ ledgerId, code: '1210.EU-1' });
      expect(got).toEqual(account);
    });

    it('rejects a taken code with ALREADY_EXISTS naming it', async () => {
      await accounts().createAccount({
        ledgerId,
        code: '7000',
        name: 'A',
        type: AccountType.EXPENSE,
      });
      await expect(
        accounts().createAccount({ ledgerId, code: '7000', name: 'B', type: AccountType.REVENUE }),
      ).rejects.toMatchObject({
        code: GrpcStatus.ALREADY_EXISTS,
        message: expect.stringContaining('"7000"'),
        fieldViolations: [{ field: 'code' }],
      });
    });

    it.each([
      ['a code with a space', { code: '70 00', name: 'n', type: AccountType.ASSET }, 'code'],
      ['a 21-character code', { code: '1'.repeat(21), name: 'n', type: AccountType.ASSET }, 'code'],
      ['no type', { code: '7100', name: 'n' }, 'type'],
      ['no name', { code: '7100', type: AccountType.ASSET }, 'name'],
      ['an unknown role', { code: '7100', name: 'n', type: AccountType.ASSET, role: 42 }, 'role'],
    ])('rejects %s as INVALID_ARGUMENT naming the field', async (_, input, field) => {
      await expect(accounts().createAccount({ ledgerId, ...input })).rejects.toMatchObject({
        code: GrpcStatus.INVALID_ARGUMENT,
        fieldViolations: [{ field }],
      });
    });

    it('lists the chart ordered by code', async () => {
      const { ledger } = await ledgers().createLedger({
        requestId: 'ordered',
        name: 'Ordered',
        baseCurrency: 'EUR',
      });
      for (const code of ['5000', '1000', '3000.1', '3000']) {
        await accounts().createAccount({
          ledgerId: ledger!.id,
          code,
          name: `Account ${code}`,
          type: AccountType.ASSET,
        });
      }
      const { accounts: listed } = await accounts().listAccounts({ ledgerId: ledger!.id });
      expect(listed.map((a) => a.code)).toEqual(['1000', '3000', '3000.1', '5000']);
    });

    it("answers NOT_FOUND for an unknown code, an unknown ledger and another tenant's ledger", async () => {
      await expect(accounts().getAccount({ ledgerId, code: '9999' })).rejects.toMatchObject({
        code: GrpcStatus.NOT_FOUND,
        fieldViolations: [{ field: 'code' }],
      });
      const other = await harness.newTenant();
      const { ledger } = await harness.client(LedgerService, other.token).createLedger({
        requestId: 'theirs',
        name: 'Theirs',
        baseCurrency: 'EUR',
        createDefaultChart: true,
      });
      for (const id of [UNKNOWN_ID, ledger!.id]) {
        await expect(
          accounts().createAccount({ ledgerId: id, code: '1', name: 'n', type: AccountType.ASSET }),
        ).rejects.toMatchObject({
          code: GrpcStatus.NOT_FOUND,
          fieldViolations: [{ field: 'ledger_id' }],
        });
        await expect(accounts().getAccount({ ledgerId: id, code: '1000' })).rejects.toMatchObject({
          code: GrpcStatus.NOT_FOUND,
        });
        await expect(accounts().listAccounts({ ledgerId: id })).rejects.toMatchObject({
          code: GrpcStatus.NOT_FOUND,
        });
      }
      await expect(accounts().getAccount({ ledgerId, code: '' })).rejects.toMatchObject({
        code: GrpcStatus.INVALID_ARGUMENT,
        fieldViolations: [{ field: 'code' }],
      });
      await expect(accounts().listAccounts({ ledgerId: 'nope' })).rejects.toMatchObject({
        code: GrpcStatus.INVALID_ARGUMENT,
        fieldViolations: [{ field: 'ledger_id' }],
      });
    });
  });

  describe('CreateLedger with an owner and the default chart', () => {
    it('creates the default chart with the ledger and records the owner', async () => {
      const owner = await newOrganization();
      const { ledger } = await ledgers().createLedger({
        requestId: 'with-chart',
        name: 'With chart',
        baseCurrency: 'EUR',
        ownerOrganizationId: owner,
        createDefaultChart: true,
      });
      expect(ledger!.ownerOrganizationId).toBe(owner);
      expect(
        (await ledgers().getLedger({ ledgerId: ledger!.id })).ledger!.ownerOrganizationId,
      ).toBe(owner);
      const { accounts: chart } = await accounts().listAccounts({ ledgerId: ledger!.id });
      expect(chart.map((a) => a.code)).toEqual([
        '1000',
        '1100',
        '1200',
        '1300',
        '2000',
        '2100',
        '2200',
        '3000',
        '4000',
        '4100',
        '5000',
        '5100',
      ]);
      expect(chart.find((a) => a.code === '1000')).toMatchObject({
        name: 'Cash',
        type: AccountType.ASSET,
        balanceLimit: BalanceLimit.NO_NEGATIVE,
      });
      expect(chart.find((a) => a.code === '1200')).toMatchObject({ role: AccountRole.RECEIVABLE });
      expect(chart.find((a) => a.code === '2000')).toMatchObject({
        type: AccountType.LIABILITY,
        role: AccountRole.PAYABLE,
      });
    });

    it('creates no accounts without create_default_chart', async () => {
      const { ledger } = await ledgers().createLedger({
        requestId: 'no-chart',
        name: 'No chart',
        baseCurrency: 'EUR',
      });
      expect((await accounts().listAccounts({ ledgerId: ledger!.id })).accounts).toEqual([]);
    });

    it('replays an identical retry once, without a second chart', async () => {
      const owner = await newOrganization();
      const request = {
        requestId: 'replayed-chart',
        name: 'Replayed',
        baseCurrency: 'EUR',
        ownerOrganizationId: owner,
        createDefaultChart: true,
      };
      const first = await ledgers().createLedger(request);
      const again = await ledgers().createLedger(request);
      expect(again).toMatchObject({ replayed: true, ledger: { id: first.ledger!.id } });
      const { accounts: chart } = await accounts().listAccounts({ ledgerId: first.ledger!.id });
      expect(chart).toHaveLength(12);
    });

    it('treats a retry with another owner or chart flag as a reused request id', async () => {
      const owner = await newOrganization();
      const request = { requestId: 'changed-retry', name: 'Changed', baseCurrency: 'EUR' };
      await ledgers().createLedger({ ...request, ownerOrganizationId: owner });
      await expect(
        ledgers().createLedger({ ...request, ownerOrganizationId: '' }),
      ).rejects.toMatchObject({
        code: GrpcStatus.ALREADY_EXISTS,
        fieldViolations: [{ field: 'request_id' }],
      });
      await expect(
        ledgers().createLedger({
          ...request,
          ownerOrganizationId: owner,
          createDefaultChart: true,
        }),
      ).rejects.toMatchObject({ code: GrpcStatus.ALREADY_EXISTS });
    });

    it("rejects an unknown or another tenant's owner with NOT_FOUND and a malformed one with INVALID_ARGUMENT", async () => {
      const other = await harness.newTenant();
      const theirs = await newOrganization(other.token);
      for (const ownerOrganizationId of [UNKNOWN_ID, theirs]) {
        await expect(
          ledgers().createLedger({
            requestId: `owner-${ownerOrganizationId}`,
            name: 'Owned',
            baseCurrency: 'EUR',
            ownerOrganizationId,
            createDefaultChart: true,
          }),
        ).rejects.toMatchObject({
          code: GrpcStatus.NOT_FOUND,
          fieldViolations: [{ field: 'owner_organization_id' }],
        });
      }
      await expect(
        ledgers().createLedger({
          requestId: 'owner-bad',
          name: 'Owned',
          baseCurrency: 'EUR',
          ownerOrganizationId: 'acme',
        }),
      ).rejects.toMatchObject({
        code: GrpcStatus.INVALID_ARGUMENT,
        fieldViolations: [{ field: 'owner_organization_id' }],
      });
      // Nothing half-made: no ledger row, no accounts from the rejected requests.
      const rows = await harness.query<{ n: string }>(
        "SELECT count(*) AS n FROM ledger.ledgers WHERE request_id LIKE 'owner-%'",
      );
      expect(rows[0].n).toBe('0');
    });
  });
});
