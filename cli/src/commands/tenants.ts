import { toJson } from '@bufbuild/protobuf';
import { type Command } from 'commander';
import {
  type ApiKey,
  ApiKeySchema,
  CreateTenantResponseSchema,
  IssueApiKeyResponseSchema,
  RevokeApiKeyResponseSchema,
  type Tenant,
  TenantSchema,
  TenantService,
} from '@kontor/contracts/ledger/v1/tenant_service_pb';
import { action, type CommandContext, examples, type Io } from '../command-kit';
import { CliError, ExitCode } from '../exit-codes';
import { type Column, recordOf, tableOf } from '../output/output';
import { timestamp } from '../output/values';
import { collectPages, pageOptions, type PageOptions } from './paging';

const TENANT_COLUMNS: Column<Tenant>[] = [
  { header: 'id', cell: (tenant) => tenant.id },
  { header: 'slug', cell: (tenant) => tenant.slug },
  { header: 'name', cell: (tenant) => tenant.name },
  { header: 'created', cell: (tenant) => timestamp(tenant.createTime) },
];

// Keys are listed by id and label only: the secret exists once, in `kontor keys issue`'s output.
const KEY_COLUMNS: Column<ApiKey>[] = [
  { header: 'key id', cell: (key) => key.keyId },
  { header: 'label', cell: (key) => key.label },
  { header: 'created', cell: (key) => timestamp(key.createTime) },
  { header: 'revoked', cell: (key) => timestamp(key.revokeTime) },
];

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function registerTenantCommands(program: Command, io: Io): void {
  const tenants = program
    .command('tenants')
    .description('tenants of the platform (needs the platform admin token)')
    .addHelpText(
      'after',
      examples('kontor tenants create acme --name "Acme Marketplace"', 'kontor tenants list'),
    );

  const keys = program
    .command('keys')
    .description("tenants' API keys (needs the platform admin token)")
    .addHelpText(
      'after',
      examples(
        'kontor keys issue --tenant 0b6f… --label "order service"',
        'kontor keys list --tenant 0b6f…',
      ),
    );
  tenantCreateCommand(tenants, io);
  tenantListCommand(tenants, io);
  tenantShowCommand(tenants, io);
  keyIssueCommand(keys, io);
  keyListCommand(keys, io);
  keyRevokeCommand(keys, io);
}

function tenantCreateCommand(tenants: Command, io: Io): void {
  tenants
    .command('create <slug>')
    .description('create a tenant; issue it a key with `kontor keys issue`')
    .requiredOption('--name <name>', 'display name')
    .addHelpText('after', examples('kontor tenants create acme --name "Acme Marketplace"'))
    .action(
      action<{ name: string }>(io, async (ctx, options, [slug = '']) => {
        const response = await ctx
          .connection()
          .admin(TenantService)
          .createTenant({ slug, name: options.name });
        return recordOf(
          [
            ['id', response.tenant?.id ?? ''],
            ['slug', response.tenant?.slug ?? ''],
            ['name', response.tenant?.name ?? ''],
          ],
          toJson(CreateTenantResponseSchema, response),
        );
      }),
    );
}

function tenantListCommand(tenants: Command, io: Io): void {
  pageOptions(tenants.command('list').description("list the platform's tenants, oldest first"))
    .addHelpText('after', examples('kontor tenants list', 'kontor tenants list --output csv'))
    .action(
      action<PageOptions>(io, async (ctx, options) => {
        const client = ctx.connection().admin(TenantService);
        const rows = await collectPages(ctx, options, async (pageSize, pageToken) => {
          const page = await client.listTenants({ pageSize, pageToken });
          return { items: page.tenants, nextPageToken: page.nextPageToken };
        });
        return tableOf(rows, TENANT_COLUMNS, {
          tenants: rows.map((tenant) => toJson(TenantSchema, tenant)),
        });
      }),
    );
}

function tenantShowCommand(tenants: Command, io: Io): void {
  tenants
    .command('show <idOrSlug>')
    .description('show one tenant, by id or by slug')
    .addHelpText('after', examples('kontor tenants show 0b6f…', 'kontor tenants show acme'))
    .action(
      action(io, async (ctx, _options, [idOrSlug = '']) => {
        const tenant = await findTenant(ctx, idOrSlug);
        return recordOf(
          TENANT_COLUMNS.map((column): [string, string] => [column.header, column.cell(tenant)]),
          toJson(TenantSchema, tenant),
        );
      }),
    );
}

// There is no lookup by slug on the server: a slug is found by paging through the tenants,
// which an admin command can afford (tenants number in the hundreds, not millions).
async function findTenant(ctx: CommandContext, idOrSlug: string): Promise<Tenant> {
  const client = ctx.connection().admin(TenantService);
  if (UUID.test(idOrSlug)) {
    const { tenant } = await client.getTenant({ tenantId: idOrSlug });
    if (tenant) return tenant;
  } else {
    let pageToken = '';
    do {
      const page = await client.listTenants({ pageSize: 1000, pageToken });
      const found = page.tenants.find((tenant) => tenant.slug === idOrSlug);
      if (found) return found;
      pageToken = page.nextPageToken;
    } while (pageToken !== '');
  }
  throw new CliError(ExitCode.notFound, `no tenant with the id or slug "${idOrSlug}"`);
}

function keyIssueCommand(keys: Command, io: Io): void {
  keys
    .command('issue')
    .description('issue an API key for the tenant of --tenant; the token is shown once')
    .option('--label <label>', 'what the key is for', 'cli')
    .addHelpText('after', examples('kontor keys issue --tenant 0b6f… --label "order service"'))
    .action(
      action<{ label: string }>(io, async (ctx, options) => {
        const connection = ctx.connection();
        const response = await connection
          .admin(TenantService)
          .issueApiKey({ tenantId: connection.requireTenantId(), label: options.label });
        return recordOf(
          [
            ['key id', response.keyId],
            ['token', response.token],
          ],
          toJson(IssueApiKeyResponseSchema, response),
        );
      }),
    );
}

function keyListCommand(keys: Command, io: Io): void {
  pageOptions(
    keys
      .command('list')
      .description('list the API keys of the tenant of --tenant, revoked ones included'),
  )
    .addHelpText(
      'after',
      examples('kontor keys list --tenant 0b6f…', 'kontor keys list --tenant 0b6f… --json'),
    )
    .action(
      action<PageOptions>(io, async (ctx, options) => {
        const connection = ctx.connection();
        const client = connection.admin(TenantService);
        const tenantId = connection.requireTenantId();
        const rows = await collectPages(ctx, options, async (pageSize, pageToken) => {
          const page = await client.listApiKeys({ tenantId, pageSize, pageToken });
          return { items: page.apiKeys, nextPageToken: page.nextPageToken };
        });
        return tableOf(rows, KEY_COLUMNS, {
          apiKeys: rows.map((key) => toJson(ApiKeySchema, key)),
        });
      }),
    );
}

function keyRevokeCommand(keys: Command, io: Io): void {
  keys
    .command('revoke <keyId>')
    .description('revoke a key of the tenant of --tenant; every service refuses it within a second')
    .addHelpText('after', examples('kontor keys revoke 4f2c… --tenant 0b6f…'))
    .action(
      action(io, async (ctx, _options, [keyId = '']) => {
        const connection = ctx.connection();
        const response = await connection
          .admin(TenantService)
          .revokeApiKey({ tenantId: connection.requireTenantId(), keyId });
        return recordOf(
          [['revoked at', timestamp(response.revokeTime)]],
          toJson(RevokeApiKeyResponseSchema, response),
        );
      }),
    );
}
