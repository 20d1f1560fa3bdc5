import { toJson } from '@bufbuild/protobuf';
import { type Command } from 'commander';
import {
  CreateTenantResponseSchema,
  IssueApiKeyResponseSchema,
  RevokeApiKeyResponseSchema,
  TenantService,
} from '@kontor/contracts/ledger/v1/tenant_service_pb';
import { action, examples, type Io } from '../command-kit';
import { recordOf } from '../output/output';
import { timestamp } from '../output/values';

export function registerTenantCommands(program: Command, io: Io): void {
  const tenants = program
    .command('tenants')
    .description('tenants of the platform (needs the platform admin token)')
    .addHelpText('after', examples('kontor tenants create acme --name "Acme Marketplace"'));

  const keys = program
    .command('keys')
    .description("tenants' API keys (needs the platform admin token)")
    .addHelpText('after', examples('kontor keys issue --tenant 0b6f… --label "order service"'));
  tenantCreateCommand(tenants, io);
  keyIssueCommand(keys, io);
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
