import { toJson } from '@bufbuild/protobuf';
import { type Command } from 'commander';
import {
  type Organization,
  OrganizationKindSchema,
  OrganizationSchema,
  OrganizationService,
} from '@kontor/contracts/ledger/v1/organization_service_pb';
import { action, examples, type Io } from '../command-kit';
import { type Column, recordOf, tableOf } from '../output/output';
import { enumChoices, enumLabel, parseEnum, timestamp } from '../output/values';
import { collectPages, pageOptions, type PageOptions } from './paging';

const kinds = enumChoices(OrganizationKindSchema).join(', ');

const COLUMNS: Column<Organization>[] = [
  { header: 'id', cell: (org) => org.id },
  { header: 'external id', cell: (org) => org.externalId },
  { header: 'kind', cell: (org) => enumLabel(OrganizationKindSchema, org.kind) },
  { header: 'name', cell: (org) => org.name },
  { header: 'primary ledger', cell: (org) => org.primaryLedgerId },
];

function shown(org: Organization | undefined) {
  return recordOf(
    [
      ['id', org?.id ?? ''],
      ['external id', org?.externalId ?? ''],
      ['kind', org ? enumLabel(OrganizationKindSchema, org.kind) : ''],
      ['name', org?.name ?? ''],
      ['primary ledger', org?.primaryLedgerId ?? ''],
      ['created', timestamp(org?.createTime)],
    ],
    org ? toJson(OrganizationSchema, org) : null,
  );
}

export function registerOrganizationCommands(program: Command, io: Io): void {
  const orgs = program
    .command('orgs')
    .description(`organizations: ${kinds}`)
    .addHelpText('after', examples('kontor orgs list --kind vendor'));
  orgCreateCommand(orgs, io);
  orgListCommand(orgs, io);
  orgShowCommand(orgs, io);
  orgSetPrimaryLedgerCommand(orgs, io);
}

function orgCreateCommand(orgs: Command, io: Io): void {
  orgs
    .command('create')
    .description('create an organization (external id unique per tenant)')
    .requiredOption('--kind <kind>', kinds)
    .requiredOption('--external-id <id>', "your system's id for it")
    .requiredOption('--name <name>', 'display name')
    .addHelpText(
      'after',
      examples('kontor orgs create --kind vendor --external-id V-100 --name "Nordic Knits"'),
    )
    .action(
      action<{ kind: string; externalId: string; name: string }>(io, async (ctx, options) => {
        const response = await ctx
          .connection()
          .tenant(OrganizationService)
          .createOrganization({
            kind: parseEnum(OrganizationKindSchema, '--kind', options.kind),
            externalId: options.externalId,
            name: options.name,
          });
        return shown(response.organization);
      }),
    );
}

function orgListCommand(orgs: Command, io: Io): void {
  pageOptions(
    orgs
      .command('list')
      .description('list organizations, optionally of one kind')
      .option('--kind <kind>', kinds),
  )
    .addHelpText('after', examples('kontor orgs list', 'kontor orgs list --kind customer --json'))
    .action(
      action<PageOptions & { kind?: string }>(io, async (ctx, options) => {
        const client = ctx.connection().tenant(OrganizationService);
        const kind = options.kind ? parseEnum(OrganizationKindSchema, '--kind', options.kind) : 0;
        const organizations = await collectPages(ctx, options, async (pageSize, pageToken) => {
          const page = await client.listOrganizations({ kind, pageSize, pageToken });
          return { items: page.organizations, nextPageToken: page.nextPageToken };
        });
        return tableOf(organizations, COLUMNS, {
          organizations: organizations.map((org) => toJson(OrganizationSchema, org)),
        });
      }),
    );
}

function orgShowCommand(orgs: Command, io: Io): void {
  orgs
    .command('show <id>')
    .description('show one organization')
    .addHelpText('after', examples('kontor orgs show 7d1e…'))
    .action(
      action(io, async (ctx, _options, [organizationId = '']) => {
        const response = await ctx
          .connection()
          .tenant(OrganizationService)
          .getOrganization({ organizationId });
        return shown(response.organization);
      }),
    );
}

function orgSetPrimaryLedgerCommand(orgs: Command, io: Io): void {
  orgs
    .command('set-primary-ledger <id> <ledgerId>')
    .description("assign the organization's primary ledger (where its events post)")
    .addHelpText('after', examples('kontor orgs set-primary-ledger 7d1e… 51aa…'))
    .action(
      action(io, async (ctx, _options, [organizationId = '', ledgerId = '']) => {
        const response = await ctx
          .connection()
          .tenant(OrganizationService)
          .setPrimaryLedger({ organizationId, ledgerId });
        return shown(response.organization);
      }),
    );
}
