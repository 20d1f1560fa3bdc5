import { LedgerService } from '@kontor/contracts/ledger/v1/ledger_service_pb';
import {
  OrganizationKind,
  OrganizationService,
} from '@kontor/contracts/ledger/v1/organization_service_pb';
import { GrpcStatus } from '@kontor/grpc';
import { setUpBook } from './support/books';
import { startLedgerHarness, type LedgerHarness, type TestTenant } from './support/ledger-harness';

const UNKNOWN_ID = '00000000-0000-4000-8000-000000000000';

describe('organizations', () => {
  let harness: LedgerHarness;
  let tenant: TestTenant;

  beforeAll(async () => {
    harness = await startLedgerHarness();
    tenant = await harness.newTenant();
  });
  afterAll(() => harness?.stop());

  const organizations = () => harness.client(OrganizationService, tenant.token);

  it('creates an organization and gets it back by id', async () => {
    const { organization } = await organizations().createOrganization({
      externalId: 'cust-1',
      kind: OrganizationKind.CUSTOMER,
      name: ' Acme GmbH ',
    });
    expect(organization).toMatchObject({
      externalId: 'cust-1',
      kind: OrganizationKind.CUSTOMER,
      name: 'Acme GmbH',
      primaryLedgerId: '',
    });
    const { organization: got } = await organizations().getOrganization({
      organizationId: organization!.id,
    });
    expect(got).toEqual(organization);
  });

  it('rejects a taken external id with ALREADY_EXISTS naming it', async () => {
    await organizations().createOrganization({
      externalId: 'dup-ext',
      kind: OrganizationKind.VENDOR,
      name: 'First',
    });
    await expect(
      organizations().createOrganization({
        externalId: 'dup-ext',
        kind: OrganizationKind.PARTNER,
        name: 'Second',
      }),
    ).rejects.toMatchObject({
      code: GrpcStatus.ALREADY_EXISTS,
      message: expect.stringContaining('"dup-ext"'),
      fieldViolations: [{ field: 'external_id' }],
    });
  });

  it('allows the same external id in another tenant', async () => {
    const other = await harness.newTenant();
    await harness.client(OrganizationService, other.token).createOrganization({
      externalId: 'dup-ext',
      kind: OrganizationKind.VENDOR,
      name: 'Other tenant',
    });
  });

  it('rejects a missing kind, an empty name and a 201-character name as INVALID_ARGUMENT', async () => {
    await expect(
      organizations().createOrganization({ externalId: 'k', name: 'No kind' }),
    ).rejects.toMatchObject({
      code: GrpcStatus.INVALID_ARGUMENT,
      fieldViolations: [{ field: 'kind' }],
    });
    await expect(
      organizations().createOrganization({ externalId: 'n', kind: OrganizationKind.VENDOR }),
    ).rejects.toMatchObject({
      code: GrpcStatus.INVALID_ARGUMENT,
      fieldViolations: [{ field: 'name' }],
    });
    await expect(
      organizations().createOrganization({
        externalId: 'n',
        kind: OrganizationKind.VENDOR,
        name: 'x'.repeat(201),
      }),
    ).rejects.toMatchObject({
      code: GrpcStatus.INVALID_ARGUMENT,
      fieldViolations: [{ field: 'name' }],
    });
  });

  it('lists by kind in creation order, page by page', async () => {
    const own = await harness.newTenant();
    const client = harness.client(OrganizationService, own.token);
    for (const [index, kind] of [
      OrganizationKind.SUPPLIER,
      OrganizationKind.CUSTOMER,
      OrganizationKind.SUPPLIER,
      OrganizationKind.SUPPLIER,
    ].entries()) {
      await client.createOrganization({ externalId: `o${index}`, kind, name: `Org ${index}` });
    }
    const first = await client.listOrganizations({ kind: OrganizationKind.SUPPLIER, pageSize: 2 });
    expect(first.organizations.map((o) => o.externalId)).toEqual(['o0', 'o2']);
    expect(first.nextPageToken).not.toBe('');
    const second = await client.listOrganizations({
      kind: OrganizationKind.SUPPLIER,
      pageSize: 2,
      pageToken: first.nextPageToken,
    });
    expect(second.organizations.map((o) => o.externalId)).toEqual(['o3']);
    expect(second.nextPageToken).toBe('');
    const all = await client.listOrganizations({});
    expect(all.organizations).toHaveLength(4);
  });

  it('sets and clears the primary ledger', async () => {
    const { organization } = await organizations().createOrganization({
      externalId: 'prim',
      kind: OrganizationKind.VENDOR,
      name: 'Primary',
    });
    const { ledger } = await harness.client(LedgerService, tenant.token).createLedger({
      requestId: 'prim-ledger',
      name: 'Primary book',
      baseCurrency: 'EUR',
    });
    const set = await organizations().setPrimaryLedger({
      organizationId: organization!.id,
      ledgerId: ledger!.id,
    });
    expect(set.organization!.primaryLedgerId).toBe(ledger!.id);
    const cleared = await organizations().setPrimaryLedger({
      organizationId: organization!.id,
      ledgerId: '',
    });
    expect(cleared.organization!.primaryLedgerId).toBe('');
  });

  it("refuses another tenant's ledger as primary ledger with NOT_FOUND", async () => {
    const { organization } = await organizations().createOrganization({
      externalId: 'prim-x',
      kind: OrganizationKind.VENDOR,
      name: 'Primary X',
    });
    const other = await harness.newTenant();
    const { ledger } = await harness.client(LedgerService, other.token).createLedger({
      requestId: 'theirs',
      name: 'Theirs',
      baseCurrency: 'EUR',
    });
    await expect(
      organizations().setPrimaryLedger({ organizationId: organization!.id, ledgerId: ledger!.id }),
    ).rejects.toMatchObject({
      code: GrpcStatus.NOT_FOUND,
      fieldViolations: [{ field: 'ledger_id' }],
    });
  });

  it("answers NOT_FOUND for unknown and other tenants' organizations, INVALID_ARGUMENT for bad ids", async () => {
    const other = await harness.newTenant();
    const { organization } = await harness
      .client(OrganizationService, other.token)
      .createOrganization({ externalId: 'theirs', kind: OrganizationKind.VENDOR, name: 'Theirs' });
    for (const organizationId of [UNKNOWN_ID, organization!.id]) {
      await expect(organizations().getOrganization({ organizationId })).rejects.toMatchObject({
        code: GrpcStatus.NOT_FOUND,
      });
      await expect(
        organizations().setPrimaryLedger({ organizationId, ledgerId: '' }),
      ).rejects.toMatchObject({ code: GrpcStatus.NOT_FOUND });
    }
    await expect(organizations().getOrganization({ organizationId: 'nope' })).rejects.toMatchObject(
      {
        code: GrpcStatus.INVALID_ARGUMENT,
        fieldViolations: [{ field: 'organization_id' }],
      },
    );
  });

  it('sets up a book through the APIs (test/support/books.ts)', async () => {
    const book = await setUpBook(harness, tenant, { year: 2026, currency: 'EUR' });
    expect(Object.keys(book.journals).sort()).toEqual(['BANK', 'CASH', 'GENERAL', 'NOTE', 'SALES']);
    expect(book.accounts['1200']).toBeDefined();
    const { organization } = await organizations().getOrganization({
      organizationId: book.vendor.id,
    });
    expect(organization!.primaryLedgerId).toBe(book.ledgerId);
    // Twice in one tenant works too.
    await setUpBook(harness, tenant, { year: 2026, currency: 'EUR' });
  });
});
