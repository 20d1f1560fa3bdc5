import { randomUUID } from 'node:crypto';
import { kontor, kontorJson, newKontorHome, type RunOptions } from './support/kontor-process';
import { type CliPlatform, startCliPlatform } from './support/ledger-platform';

interface ListedTenant {
  id: string;
  slug: string;
  name: string;
  createTime: string;
}

interface ListedKey {
  keyId: string;
  tenantId: string;
  label: string;
  createTime: string;
  revokeTime?: string;
}

// The platform admin's side of the CLI: tenants and their keys, listed and shown with the admin
// token against the real ledger service, and refused to a tenant's API key.
describe('kontor tenants and keys as the platform admin', () => {
  let platform: CliPlatform;
  const home = newKontorHome();
  let admin: RunOptions;
  const slugs = [0, 1, 2].map((n) => `adm-${n}-${randomUUID().slice(0, 6)}`);
  const tenants: ListedTenant[] = [];

  beforeAll(async () => {
    platform = await startCliPlatform(['ledger']);
    admin = {
      env: {
        ...home.env,
        KONTOR_ADDRESS: platform.addresses.ledger ?? '',
        KONTOR_ADMIN_TOKEN: platform.adminToken,
      },
    };
    for (const slug of slugs) {
      const created = await kontorJson<{ tenant: ListedTenant }>(
        ['tenants', 'create', slug, '--name', `Tenant, ${slug}`],
        admin,
      );
      tenants.push(created.tenant);
    }
  }, 120_000);

  afterAll(() => platform?.stop());

  it('lists the tenants oldest first as a table, CSV and JSON', async () => {
    const table = await kontor(['tenants', 'list'], admin);
    const csv = await kontor(['tenants', 'list', '--output', 'csv'], admin);
    const json = await kontorJson<{ tenants: ListedTenant[] }>(['tenants', 'list'], admin);

    expect(table.code).toBe(0);
    expect(table.stdout).toMatch(/id\s+│ slug\s+│ name\s+│ created/);
    for (const slug of slugs) expect(table.stdout).toContain(slug);
    expect(csv.code).toBe(0);
    const lines = csv.stdout.trim().split('\n');
    expect(lines[0]).toBe('id,slug,name,created');
    // The name holds a comma, so CSV quotes it.
    expect(lines.slice(1)).toEqual(
      tenants.map((t) => `${t.id},${t.slug},"${t.name}",${new Date(t.createTime).toISOString()}`),
    );
    expect(json.tenants.map((tenant) => tenant.slug)).toEqual(slugs);
  });

  it('stops at --limit, says how to continue, and continues from --page-token', async () => {
    const first = await kontor(['tenants', 'list', '--limit', '2', '--json'], admin);
    const token = /--page-token (\S+)/.exec(first.stderr)?.[1] ?? '';
    const rest = await kontorJson<{ tenants: ListedTenant[] }>(
      ['tenants', 'list', '--page-token', token],
      admin,
    );

    expect(first.code).toBe(0);
    const shown = JSON.parse(first.stdout) as { tenants: ListedTenant[] };
    expect(shown.tenants.map((tenant) => tenant.slug)).toEqual(slugs.slice(0, 2));
    expect(token).not.toBe('');
    expect(rest.tenants.map((tenant) => tenant.slug)).toEqual(slugs.slice(2));
  });

  it('shows one tenant by id and by slug, and exits 3 for one that does not exist', async () => {
    const tenant = tenants[1];
    const byId = await kontor(['tenants', 'show', tenant.id], admin);
    const bySlug = await kontorJson<ListedTenant>(['tenants', 'show', tenant.slug], admin);
    const unknownId = await kontor(['tenants', 'show', randomUUID()], admin);
    const unknownSlug = await kontor(['tenants', 'show', 'no-such-tenant'], admin);

    expect(byId.code).toBe(0);
    expect(byId.stdout).toMatch(new RegExp(`^id\\s+${tenant.id}\\nslug\\s+${tenant.slug}\\n`));
    expect(bySlug).toEqual(tenant);
    expect(unknownId.code).toBe(3);
    expect(unknownId.stderr).toMatch(/^kontor: NOT_FOUND: tenant \S+ not found\n/);
    expect(unknownSlug).toMatchObject({
      code: 3,
      stdout: '',
      stderr: 'kontor: no tenant with the id or slug "no-such-tenant"\n',
    });
  });

  it("lists a tenant's keys with the revoked one dated, and never shows a token again", async () => {
    const tenant = tenants[0];
    const issue = (label: string) =>
      kontorJson<{ keyId: string; token: string }>(
        ['keys', 'issue', '--tenant', tenant.id, '--label', label],
        admin,
      );
    const billing = await issue('billing service');
    const orders = await issue('order service');
    const revoked = await kontorJson<{ revokeTime: string }>(
      ['keys', 'revoke', billing.keyId, '--tenant', tenant.id],
      admin,
    );

    const json = await kontorJson<{ apiKeys: ListedKey[] }>(
      ['keys', 'list', '--tenant', tenant.id],
      admin,
    );
    const table = await kontor(['keys', 'list', '--tenant', tenant.id], admin);

    expect(json.apiKeys).toEqual([
      {
        keyId: billing.keyId,
        tenantId: tenant.id,
        label: 'billing service',
        createTime: expect.any(String),
        revokeTime: revoked.revokeTime,
      },
      {
        keyId: orders.keyId,
        tenantId: tenant.id,
        label: 'order service',
        createTime: expect.any(String),
      },
    ]);
    expect(table.code).toBe(0);
    expect(table.stdout).toMatch(/key id\s+│ label\s+│ created\s+│ revoked/);
    expect(table.stdout).toMatch(
      new RegExp(`${billing.keyId}\\s+│ billing service\\s+│ \\S+\\s+│ \\d{4}-\\d\\d-\\d\\dT`),
    );
    for (const output of [table.stdout, JSON.stringify(json)]) {
      expect(output).not.toContain(billing.token);
      expect(output).not.toContain(orders.token.split('_').pop());
    }
  });

  it('says which flag is missing when keys list has no tenant, exit 78', async () => {
    const result = await kontor(['keys', 'list'], admin);

    expect(result.code).toBe(78);
    expect(result.stderr).toMatch(/^kontor: no tenant id: pass --tenant/);
  });

  it('refuses the listings to a tenant API key with exit code 4', async () => {
    const tenant = tenants[2];
    const key = await kontorJson<{ token: string }>(
      ['keys', 'issue', '--tenant', tenant.id, '--label', 'not an admin'],
      admin,
    );
    const asTenant: RunOptions = {
      env: { ...admin.env, KONTOR_ADMIN_TOKEN: key.token },
    };

    const list = await kontor(['tenants', 'list'], asTenant);
    const keys = await kontor(['keys', 'list', '--tenant', tenant.id], asTenant);

    for (const result of [list, keys]) {
      expect(result.code).toBe(4);
      expect(result.stderr).toMatch(/^kontor: PERMISSION_DENIED: /);
      expect(result.stdout).toBe('');
    }
  });
});
