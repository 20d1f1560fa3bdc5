import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { toJson } from '@bufbuild/protobuf';
import { type Command } from 'commander';
import {
  AmendDealRequestSchema,
  CreateDealRequestSchema,
  type Deal,
  DealSchema,
  DealService,
  PartyRoleSchema,
  type Settlement,
  SettlementSchema,
  SettlementStatusSchema,
  StatementEntrySchema,
  TermKindSchema,
} from '@kontor/contracts/deals/v1/deal_service_pb';
import { TransactionTypeSchema } from '@kontor/contracts/ledger/v1/entry_service_pb';
import { action, type CommandContext, examples, type Io } from '../command-kit';
import { messageOf, recordOf, tableOf } from '../output/output';
import { enumLabel, money, timestamp } from '../output/values';
import { readMessageFile } from './message-file';
import { collectPages, pageOptions, type PageOptions } from './paging';

// Without an explicit requestId the file's content is the idempotency key: rerunning the same
// create or amendment is a replay, not a second deal.
const contentKey = (path: string) =>
  `cli:${createHash('sha256').update(readFileSync(path)).digest('hex').slice(0, 40)}`;

function shownDeal(ctx: CommandContext, deal: Deal | undefined, replayed: boolean) {
  if (!deal) return messageOf('(no deal)', null);
  const header = ctx.out.render(
    recordOf(
      [
        ['deal', deal.dealId],
        ['name', deal.name],
        ['payer', deal.payerOrganizationId],
        ['currency', deal.currency],
        ['finalized through', deal.finalizedThrough || '(nothing yet)'],
        ...(replayed
          ? [['replayed', 'yes: created earlier from the same request'] as [string, string]]
          : []),
      ],
      null,
    ),
  );
  const versions = ctx.out.render(
    tableOf(
      deal.versions,
      [
        { header: 'version', cell: (version) => String(version.version), align: 'right' },
        { header: 'effective from', cell: (version) => version.effectiveFrom },
        { header: 'changed by', cell: (version) => version.changedBy },
        { header: 'reason', cell: (version) => version.reason },
        { header: 'at', cell: (version) => timestamp(version.createTime) },
      ],
      null,
    ),
  );
  return messageOf(`${header}\n\nversions\n${versions}`, {
    deal: toJson(DealSchema, deal),
    replayed,
  });
}

/** The settlement's figures, from revenue down to the total, one per line. */
function settlementFigures(ctx: CommandContext, s: Settlement): string {
  const figures = s.figures;
  return ctx.out.render(
    recordOf(
      [
        ['deal / version', `${s.dealId} / ${s.dealVersion}`],
        ['period', `${s.periodLabel} (${s.periodStart} – ${s.periodEnd})`],
        ['status', enumLabel(SettlementStatusSchema, s.status)],
        ['revenue', money(figures?.revenue)],
        ['refunds', money(figures?.refunds)],
        ['chargebacks', money(figures?.chargebacks)],
        ['deductions', money(figures?.deductions)],
        ['costs', money(figures?.costs)],
        [
          'units / entries',
          `${figures?.units.toString() ?? 0} / ${figures?.entryCount.toString() ?? 0}`,
        ],
        ['basis', money(s.basisAmount)],
        ['earned', money(s.earned)],
        ['minimum adjustment', money(s.minimumAdjustment)],
        ['cap adjustment', money(s.capAdjustment)],
        ['carry in', money(s.carryIn)],
        ...s.lateAdjustments.map((late): [string, string] => [
          `late entries of ${late.periodStart}`,
          `${money(late.amount)} (${late.entryCount.toString()} entries)`,
        ]),
        ['carry out', money(s.carryOut)],
        ['total', ctx.out.paint('bold', money(s.total))],
        ...(s.finalizedBy
          ? [
              ['finalized by', `${s.finalizedBy} at ${timestamp(s.finalizeTime)}`] as [
                string,
                string,
              ],
            ]
          : []),
      ],
      null,
    ),
  );
}

/** A settlement as a statement: basis, each term, tiers, adjustments, carry-forward, parties. */
export function shownSettlement(
  ctx: CommandContext,
  settlement: Settlement | undefined,
  partyNames: Record<string, string> = {},
) {
  if (!settlement) return messageOf('(no settlement)', null);
  const s = settlement;
  const header = settlementFigures(ctx, s);
  const terms = tableOf(
    s.terms,
    [
      { header: 'term', cell: (term) => enumLabel(TermKindSchema, term.term) },
      { header: 'description', cell: (term) => term.description },
      { header: 'amount', cell: (term) => money(term.amount), align: 'right' },
    ],
    null,
  );
  const tiers = tableOf(
    s.tiers,
    [
      { header: 'from', cell: (tier) => money(tier.from), align: 'right' },
      { header: 'to', cell: (tier) => money(tier.to), align: 'right' },
      { header: '%', cell: (tier) => tier.percent, align: 'right' },
      { header: 'applied to', cell: (tier) => money(tier.applied), align: 'right' },
      { header: 'contribution', cell: (tier) => money(tier.contribution), align: 'right' },
    ],
    null,
  );
  const parties = tableOf(
    s.parties,
    [
      {
        header: 'party',
        cell: (party) => partyNames[party.organizationId] ?? party.organizationId,
      },
      { header: 'role', cell: (party) => enumLabel(PartyRoleSchema, party.role) },
      { header: 'share %', cell: (party) => party.sharePercent, align: 'right' },
      { header: 'amount', cell: (party) => money(party.amount), align: 'right' },
    ],
    null,
  );
  const sections = [header, `\nterms\n${ctx.out.render(terms)}`];
  if (s.tiers.length > 0) sections.push(`\ntiers\n${ctx.out.render(tiers)}`);
  sections.push(`\nparties\n${ctx.out.render(parties)}`);
  return messageOf(sections.join('\n'), { settlement: toJson(SettlementSchema, s) });
}

export function registerDealCommands(program: Command, io: Io): void {
  const deals = program
    .command('deals')
    .description('agreements between organizations and their profit-sharing settlements')
    .addHelpText(
      'after',
      examples('kontor deals list', 'kontor deals preview 3f0a… --period 2026-03-01'),
    );
  dealCreateCommand(deals, io);
  dealAmendCommand(deals, io);
  dealListCommand(deals, io);
  dealShowCommand(deals, io);
  settlementCommand(deals, io, 'preview');
  settlementCommand(deals, io, 'finalize');
  dealStatementCommand(deals, io);
}

function dealCreateCommand(deals: Command, io: Io): void {
  deals
    .command('create')
    .description('create a deal from a YAML/JSON file (proto JSON form of CreateDealRequest)')
    .requiredOption(
      '-f, --file <path>',
      'deal file: name, payerOrganizationId, currency, frequency, effectiveFrom, terms',
    )
    .addHelpText('after', examples('kontor deals create --file supplier-deal.yaml'))
    .action(
      action<{ file: string }>(io, async (ctx, options) => {
        const request = readMessageFile(CreateDealRequestSchema, options.file);
        if (!request.requestId) request.requestId = contentKey(options.file);
        const response = await ctx.connection().tenant(DealService).createDeal(request);
        return shownDeal(ctx, response.deal, response.replayed);
      }),
    );
}

function dealAmendCommand(deals: Command, io: Io): void {
  deals
    .command('amend <dealId>')
    .description(
      'amend a deal from a date on (effectiveFrom, terms, reason); earlier periods keep their terms',
    )
    .requiredOption('-f, --file <path>', 'amendment file (proto JSON form of AmendDealRequest)')
    .addHelpText('after', examples('kontor deals amend 3f0a… --file raise-to-12-percent.yaml'))
    .action(
      action<{ file: string }>(io, async (ctx, options, [dealId = '']) => {
        const request = readMessageFile(AmendDealRequestSchema, options.file, { dealId });
        if (!request.requestId) request.requestId = contentKey(options.file);
        const response = await ctx.connection().tenant(DealService).amendDeal(request);
        return shownDeal(ctx, response.deal, response.replayed);
      }),
    );
}

function dealListCommand(deals: Command, io: Io): void {
  pageOptions(
    deals
      .command('list')
      .description('list deals, optionally those an organization is party to')
      .option('--org <organizationId>', 'only deals of this organization'),
  )
    .addHelpText('after', examples('kontor deals list', 'kontor deals list --org 7d1e… --json'))
    .action(
      action<PageOptions & { org?: string }>(io, async (ctx, options) => {
        const client = ctx.connection().tenant(DealService);
        const rows = await collectPages(ctx, options, async (pageSize, pageToken) => {
          const page = await client.listDeals({
            organizationId: options.org ?? '',
            pageSize,
            pageToken,
          });
          return { items: page.deals, nextPageToken: page.nextPageToken };
        });
        return tableOf(
          rows,
          [
            { header: 'deal', cell: (deal) => deal.dealId },
            { header: 'name', cell: (deal) => deal.name },
            { header: 'currency', cell: (deal) => deal.currency },
            { header: 'versions', cell: (deal) => String(deal.versions.length), align: 'right' },
            { header: 'finalized through', cell: (deal) => deal.finalizedThrough },
          ],
          { deals: rows.map((deal) => toJson(DealSchema, deal)) },
        );
      }),
    );
}

function dealShowCommand(deals: Command, io: Io): void {
  deals
    .command('show <dealId>')
    .description('a deal with its version history (who changed what, from when)')
    .addHelpText('after', examples('kontor deals show 3f0a…'))
    .action(
      action(io, async (ctx, _options, [dealId = '']) => {
        const response = await ctx.connection().tenant(DealService).getDeal({ dealId });
        return shownDeal(ctx, response.deal, false);
      }),
    );
}

function settlementCommand(deals: Command, io: Io, kind: 'preview' | 'finalize'): void {
  const description =
    kind === 'preview'
      ? "compute a period's settlement now (same inputs, same result); nothing is stored"
      : 'lock a period’s settlement and post it into the parties’ ledgers (once)';
  deals
    .command(`${kind} <dealId>`)
    .description(description)
    .requiredOption('--period <YYYY-MM-DD>', 'first day of the settlement period')
    .addHelpText('after', examples(`kontor deals ${kind} 3f0a… --period 2026-03-01`))
    .action(
      action<{ period: string }>(io, async (ctx, options, [dealId = '']) => {
        const client = ctx.connection().tenant(DealService);
        const request = { dealId, periodStart: options.period };
        if (kind === 'preview') {
          return shownSettlement(ctx, (await client.previewSettlement(request)).settlement);
        }
        const response = await client.finalizeSettlement(request);
        const shown = shownSettlement(ctx, response.settlement);
        // A second finalize is answered with the stored settlement; say so, nothing was posted.
        if (response.replayed) ctx.out.note('replayed: this period was finalized earlier');
        return { ...shown, json: { ...(shown.json as object), replayed: response.replayed } };
      }),
    );
}

function dealStatementCommand(deals: Command, io: Io): void {
  pageOptions(
    deals
      .command('statement <dealId>')
      .description("one party's statement for a period, down to the entries it came from")
      .requiredOption('--period <YYYY-MM-DD>', 'first day of the settlement period')
      .requiredOption('--party <organizationId>', 'the party'),
  )
    .addHelpText(
      'after',
      examples('kontor deals statement 3f0a… --period 2026-03-01 --party 7d1e…'),
    )
    .action(
      action<PageOptions & { period: string; party: string }>(
        io,
        async (ctx, options, [dealId = '']) => {
          const client = ctx.connection().tenant(DealService);
          let share = '';
          const entries = await collectPages(ctx, options, async (pageSize, pageToken) => {
            const page = await client.getSettlementStatement({
              dealId,
              periodStart: options.period,
              organizationId: options.party,
              pageSize,
              pageToken,
            });
            share = `${enumLabel(PartyRoleSchema, page.party?.role ?? 0)} ${page.party?.sharePercent ?? ''}% = ${money(page.party?.amount)} of ${money(page.settlement?.total)}`;
            return { items: page.entries, nextPageToken: page.nextPageToken };
          });
          ctx.out.note(`share: ${share}`);
          return tableOf(
            entries,
            [
              { header: 'date', cell: (entry) => entry.entryDate },
              {
                header: 'type',
                cell: (entry) => enumLabel(TransactionTypeSchema, entry.transactionType),
              },
              { header: 'revenue', cell: (entry) => money(entry.revenue), align: 'right' },
              { header: 'refunds', cell: (entry) => money(entry.refunds), align: 'right' },
              { header: 'costs', cell: (entry) => money(entry.costs), align: 'right' },
              { header: 'units', cell: (entry) => entry.units.toString(), align: 'right' },
              { header: 'late', cell: (entry) => (entry.late ? 'late' : '') },
              { header: 'entry', cell: (entry) => entry.entryId },
            ],
            { share, entries: entries.map((entry) => toJson(StatementEntrySchema, entry)) },
          );
        },
      ),
    );
}
