import { randomUUID } from 'node:crypto';
import { kontor, kontorJson, type KontorHome, type RunOptions } from './kontor-process';
import { type CliPlatform } from './ledger-platform';

export interface Organization {
  id: string;
  externalId: string;
}

export interface CliBook {
  /** Runs with the saved profile: no connection flags needed. */
  run: RunOptions;
  tenantId: string;
  ledgerId: string;
  vendor: Organization;
  customer: Organization;
  year: number;
}

/**
 * A tenant and a ledger set up the way a user would, with the binary only: the admin creates
 * the tenant and its key, the key is saved as the current profile, then a vendor with its own
 * ledger (default chart) and a fiscal year with SALES, BANK and GENERAL, and a customer.
 */
export async function setUpCliBook(platform: CliPlatform, home: KontorHome): Promise<CliBook> {
  const admin: RunOptions = {
    env: {
      ...home.env,
      KONTOR_ADDRESS: platform.addresses.ledger ?? '',
      KONTOR_ADMIN_TOKEN: platform.adminToken,
    },
  };
  const slug = `cli-${randomUUID().slice(0, 8)}`;
  const created = await kontorJson<{ tenant: { id: string } }>(
    ['tenants', 'create', slug, '--name', 'CLI Test Marketplace'],
    admin,
  );
  const tenantId = created.tenant.id;
  const key = await kontorJson<{ token: string }>(
    ['keys', 'issue', '--tenant', tenantId, '--label', 'cli test'],
    admin,
  );
  const profile = [
    ...['profile', 'set', 'work', '--address', platform.addresses.ledger ?? ''],
    ...['--api-key', key.token, '--tenant', tenantId, '--kafka-brokers', platform.kafkaBrokers],
    ...(platform.addresses.import ? ['--import-address', platform.addresses.import] : []),
    ...(platform.addresses.deals ? ['--deals-address', platform.addresses.deals] : []),
    ...(platform.addresses.reporting ? ['--reporting-address', platform.addresses.reporting] : []),
    '--use',
  ];
  const saved = await kontor(profile, { env: home.env });
  if (saved.code !== 0) throw new Error(`profile set failed: ${saved.stderr}`);
  const run: RunOptions = { env: home.env };

  const vendor = await kontorJson<Organization>(
    ['orgs', 'create', '--kind', 'vendor', '--external-id', `V-${slug}`, '--name', 'Nordic Knits'],
    run,
  );
  const customer = await kontorJson<Organization>(
    [
      'orgs',
      'create',
      '--kind',
      'customer',
      '--external-id',
      `C-${slug}`,
      '--name',
      'Ada Lovelace',
    ],
    run,
  );
  const ledger = await kontorJson<{ id: string }>(
    ['ledgers', 'create', '--name', 'Nordic Knits', '--currency', 'EUR', '--owner', vendor.id],
    run,
  );
  await kontorJson(['orgs', 'set-primary-ledger', vendor.id, ledger.id], run);
  const year = new Date().getUTCFullYear();
  await kontorJson(
    [
      ...['periods', 'create-year', '--ledger', ledger.id, '--name', `FY${year}`],
      ...['--start', `${year}-01`, '--journal', 'SALES:Sales', '--journal', 'BANK:Bank'],
      ...['--journal', 'GENERAL:General'],
    ],
    run,
  );
  return { run, tenantId, ledgerId: ledger.id, vendor, customer, year };
}
