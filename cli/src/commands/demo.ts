import { randomBytes } from 'node:crypto';
import { type Command } from 'commander';
import { BalanceService } from '@kontor/contracts/ledger/v1/balance_service_pb';
import { TransactionType } from '@kontor/contracts/ledger/v1/entry_service_pb';
import { LedgerService } from '@kontor/contracts/ledger/v1/ledger_service_pb';
import {
  OrganizationKind,
  OrganizationService,
} from '@kontor/contracts/ledger/v1/organization_service_pb';
import { PeriodService } from '@kontor/contracts/ledger/v1/period_service_pb';
import { TenantService } from '@kontor/contracts/ledger/v1/tenant_service_pb';
import { action, type CommandContext, examples, type Io } from '../command-kit';
import { configFilePath, readConfigFile, writeConfigFile } from '../connection/config-file';
import { Connection } from '../connection/connection';
import { CliError, ExitCode } from '../exit-codes';
import { messageOf, type Printable, tableOf } from '../output/output';
import { type Settlement } from '@kontor/contracts/deals/v1/deal_service_pb';
import { customerBalanceWording, listingTable } from './balances';
import { agreeSupplierDeal, importPartnerStatement, waitForSettlementBasis } from './demo-partners';
import { shownSettlement } from './deals';
import { TURNOVER_COLUMNS } from './periods';
import type * as SampleEvents from './sample-events';
import { type SampleEvent } from './sample-events';

const CURRENCY = 'EUR';
const WAIT_FOR_POSTING_MS = 60_000;

// The demo marketplace: an operator, two vendors with their own ledgers, a supplier, customers.
const ORGANIZATIONS = [
  {
    key: 'operator',
    externalId: 'M-DEMO',
    kind: OrganizationKind.OPERATOR,
    name: 'Demo Marketplace',
  },
  { key: 'knits', externalId: 'V-KNITS', kind: OrganizationKind.VENDOR, name: 'Nordic Knits' },
  { key: 'audio', externalId: 'V-AUDIO', kind: OrganizationKind.VENDOR, name: 'Alpine Audio' },
  {
    key: 'parcel',
    externalId: 'S-PARCEL',
    kind: OrganizationKind.SUPPLIER,
    name: 'Parcel Partners',
  },
  { key: 'ada', externalId: 'C-ADA', kind: OrganizationKind.CUSTOMER, name: 'Ada Lovelace' },
  { key: 'grace', externalId: 'C-GRACE', kind: OrganizationKind.CUSTOMER, name: 'Grace Hopper' },
] as const;

type OrgKey = (typeof ORGANIZATIONS)[number]['key'];

interface DemoWorld {
  tenantId: string;
  apiKey: string;
  orgIds: Record<OrgKey, string>;
  ledgers: { knits: string; audio: string };
}

interface DemoOptions {
  save: boolean;
}

export function registerDemoCommand(program: Command, io: Io): void {
  program
    .command('demo')
    .description(
      'set up a demo tenant on a running platform (marketplace, vendors, supplier, customers), ' +
        'post invoices and payments through Kafka and a partner statement through an import, ' +
        'agree a supplier deal, and print the customer ledger, trial balance and profit sharing',
    )
    .option('--no-save', 'do not save the demo tenant as profile "demo"')
    .addHelpText(
      'after',
      examples(
        'kontor demo             # against the platform `npm start` runs in this checkout',
        'kontor demo --no-save   # leave the profiles in ~/.config/kontor as they are',
      ),
    )
    .action(action<DemoOptions>(io, (ctx, options) => runDemo(ctx, options)));
}

async function runDemo(ctx: CommandContext, options: DemoOptions) {
  const admin = ctx.connection();
  const suffix = randomBytes(3).toString('hex');
  const step = (text: string) => ctx.out.note(ctx.out.paint('cyan', `▸ ${text}`));

  step('creating tenant and API key');
  const tenants = admin.admin(TenantService);
  const { tenant } = await tenants.createTenant({ slug: `demo-${suffix}`, name: `Demo ${suffix}` });
  const tenantId = tenant?.id ?? '';
  const { token } = await tenants.issueApiKey({ tenantId, label: 'kontor demo' });
  const demo = new Connection({ ...admin.settings, apiKey: token, tenantId });
  try {
    const world = await buildWorld(demo, tenantId, token, step);
    step('publishing invoices, payments and a refund to Kafka (as billing and order systems do)');
    // Loaded here: the Kafka client is heavy, and only the demo and `events` use it.
    const samples = await import('./sample-events');
    const events = demoEvents(samples, world);
    await samples.publishEvents(admin.settings.kafkaBrokers, events);
    step(`waiting for the ledger to post ${events.length} events`);
    await waitForPostings(demo, world);
    const partners = {
      tenantId,
      knitsLedgerId: world.ledgers.knits,
      knitsId: world.orgIds.knits,
      parcelId: world.orgIds.parcel,
    };
    step("importing Parcel Partners' shipping statement (CSV) into Nordic Knits' ledger");
    const imported = await importPartnerStatement(demo, partners);
    step('agreeing a deal: Parcel Partners get 5 % of Nordic Knits’ gross revenue, monthly');
    const dealId = await agreeSupplierDeal(demo, partners);
    step('waiting for the deals service to see the month’s revenue');
    const settlement = await waitForSettlementBasis(demo, dealId);
    if (options.save) saveProfile(ctx, admin, world);
    return await printBooks(ctx, demo, {
      ...world,
      dealId,
      settlement,
      importedRows: imported.counts?.rowsPosted ?? 0n,
    });
  } finally {
    demo.close();
  }
}

async function buildWorld(
  demo: Connection,
  tenantId: string,
  apiKey: string,
  step: (text: string) => void,
): Promise<DemoWorld> {
  step('creating the marketplace, two vendors, a supplier and two customers');
  const organizations = demo.tenant(OrganizationService);
  const orgIds = {} as Record<OrgKey, string>;
  for (const org of ORGANIZATIONS) {
    const { organization } = await organizations.createOrganization(org);
    orgIds[org.key] = organization?.id ?? '';
  }
  step('opening a ledger per vendor (default chart, this fiscal year, journals)');
  const ledgers = {
    knits: await openLedger(demo, orgIds.knits, 'Nordic Knits'),
    audio: await openLedger(demo, orgIds.audio, 'Alpine Audio'),
  };
  return { tenantId, apiKey, orgIds, ledgers };
}

async function openLedger(demo: Connection, ownerId: string, name: string): Promise<string> {
  const { ledger } = await demo.tenant(LedgerService).createLedger({
    requestId: `demo-${ownerId}`,
    name,
    baseCurrency: CURRENCY,
    ownerOrganizationId: ownerId,
    createDefaultChart: true,
  });
  const ledgerId = ledger?.id ?? '';
  await demo.tenant(OrganizationService).setPrimaryLedger({ organizationId: ownerId, ledgerId });
  const year = new Date().getUTCFullYear();
  await demo.tenant(PeriodService).createFiscalYear({
    ledgerId,
    name: `FY${year}`,
    startMonth: `${year}-01`,
    monthCount: 12,
    journals: [
      { symbol: 'SALES', name: 'Sales' },
      { symbol: 'BANK', name: 'Bank' },
      { symbol: 'GENERAL', name: 'General' },
    ],
  });
  return ledgerId;
}

function demoEvents(samples: typeof SampleEvents, world: DemoWorld): SampleEvent[] {
  const { invoiceIssued, paymentCaptured, paymentRefunded } = samples;
  const today = new Date().toISOString().slice(0, 10);
  const due = new Date(Date.now() + 30 * 86_400_000).toISOString().slice(0, 10);
  const common = { tenantId: world.tenantId, currency: CURRENCY };
  const refundedPayment = {
    paymentId: `demo-pay-${world.tenantId.slice(0, 8)}`,
    orderId: 'ORD-1003',
  };
  return [
    invoiceIssued({
      ...common,
      issuer: 'V-KNITS',
      customer: 'C-ADA',
      number: 'INV-1001',
      amount: '100.00',
      tax: '19.00',
      issueDate: today,
      dueDate: due,
      product: 'wool-sweater',
      description: 'Wool sweater, custom order',
    }),
    invoiceIssued({
      ...common,
      issuer: 'V-KNITS',
      customer: 'C-GRACE',
      number: 'INV-1002',
      amount: '250.00',
      tax: '47.50',
      issueDate: today,
      dueDate: due,
      product: 'blanket',
      description: 'Blankets, wholesale',
    }),
    paymentCaptured({
      ...common,
      vendor: 'V-KNITS',
      customer: 'C-ADA',
      amount: '40.00',
      tax: '7.60',
      fee: '4.76',
      product: 'scarf',
      method: 'card',
      orderId: 'ORD-1001',
    }),
    paymentCaptured({
      ...common,
      vendor: 'V-AUDIO',
      customer: 'C-GRACE',
      amount: '199.00',
      tax: '37.81',
      fee: '23.68',
      product: 'headphones',
      method: 'paypal',
      orderId: 'ORD-1002',
    }),
    paymentCaptured({
      ...common,
      ...refundedPayment,
      vendor: 'V-KNITS',
      customer: 'C-ADA',
      amount: '25.00',
      tax: '4.75',
      fee: '2.98',
      product: 'mittens',
      method: 'card',
    }),
    paymentRefunded({
      ...common,
      ...refundedPayment,
      vendor: 'V-KNITS',
      customer: 'C-ADA',
      amount: '29.75',
      reason: 'wrong size',
    }),
  ];
}

// Posting is asynchronous (Kafka → ledger) and the two topics are not ordered with each other:
// poll until every customer ledger shows the last event it gets.
async function waitForPostings(demo: Connection, world: DemoWorld) {
  const expected = [
    { ledgerId: world.ledgers.knits, customerId: world.orgIds.ada, type: TransactionType.INVOICE },
    { ledgerId: world.ledgers.knits, customerId: world.orgIds.ada, type: TransactionType.REFUND },
    {
      ledgerId: world.ledgers.knits,
      customerId: world.orgIds.grace,
      type: TransactionType.INVOICE,
    },
    {
      ledgerId: world.ledgers.audio,
      customerId: world.orgIds.grace,
      type: TransactionType.PAYMENT,
    },
  ];
  const balances = demo.tenant(BalanceService);
  const deadline = Date.now() + WAIT_FOR_POSTING_MS;
  while (expected.length > 0) {
    const next = expected[0];
    if (!next) break;
    const { rows } = await balances.listLedgerEntries({ ...next, showAll: true, pageSize: 100 });
    if (rows.some((row) => row.transactionType === next.type)) {
      expected.shift();
      continue;
    }
    if (Date.now() > deadline) {
      throw new CliError(
        ExitCode.failed,
        'the ledger did not post the demo events within 60 s: is it consuming ' +
          'payments.events.v1 and billing.invoices.v1? Check its log and ' +
          '`kontor events dlq list --topic payments.events.v1`',
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 300));
  }
}

function saveProfile(ctx: CommandContext, admin: Connection, world: DemoWorld) {
  const path = configFilePath(ctx.io.env);
  const config = readConfigFile(path);
  const { ledger, ...services } = admin.settings.addresses;
  config.profiles['demo'] = {
    address: ledger,
    services,
    apiKey: world.apiKey,
    tenantId: world.tenantId,
    kafkaBrokers: admin.settings.kafkaBrokers.join(','),
  };
  config.currentProfile = 'demo';
  writeConfigFile(path, config);
  ctx.out.note(`saved the demo tenant as profile "demo" (now current) in ${path}`);
}

interface DemoResult extends DemoWorld {
  dealId: string;
  settlement: Settlement;
  importedRows: bigint;
}

async function printBooks(ctx: CommandContext, demo: Connection, world: DemoResult) {
  const balances = demo.tenant(BalanceService);
  const month = new Date().toISOString().slice(0, 7);
  const ada = await balances.listLedgerEntries({
    ledgerId: world.ledgers.knits,
    customerId: world.orgIds.ada,
    showAll: true,
    pageSize: 100,
  });
  const adaBalance = await balances.getCustomerBalance({
    ledgerId: world.ledgers.knits,
    customerId: world.orgIds.ada,
  });
  const trial = await balances.getTrialBalance({
    ledgerId: world.ledgers.knits,
    fromMonth: month,
    toMonth: month,
  });
  const heading = (text: string) => `\n${ctx.out.paint('bold', text)}\n`;
  const table = (printable: Printable) => ctx.out.render(printable);
  const text = [
    heading(`Customer ledger — Ada Lovelace at Nordic Knits (all transaction types)`),
    table(listingTable(ada.rows)),
    `Ada ${adaBalance.balances.map(customerBalanceWording).join(', ') || 'is settled'}.`,
    heading(`Trial balance — Nordic Knits, ${month}`),
    table(tableOf(trial.rows, TURNOVER_COLUMNS, null)),
    ...trial.totals.map(
      (total) =>
        `total ${total.currency}: debit ${total.debit?.amount} = credit ${total.credit?.amount}`,
    ),
    `(${world.importedRows} shipping costs imported from Parcel Partners' statement)`,
    heading(`Profit sharing — Parcel Partners revenue share, ${month} (preview of the open month)`),
    table(shownSettlement(ctx, world.settlement, { [world.orgIds.parcel]: 'Parcel Partners' })),
    heading('Try next'),
    `  npx kontor customer-ledger ${world.orgIds.ada} --ledger ${world.ledgers.knits}`,
    `  npx kontor general-ledger --ledger ${world.ledgers.knits} --all`,
    `  npx kontor balance customer ${world.orgIds.grace} --ledger ${world.ledgers.knits}`,
    `  npx kontor trial-balance --ledger ${world.ledgers.audio} --from ${month}`,
    `  npx kontor deals preview ${world.dealId} --period ${month}-01`,
    `  npx kontor reports aging --ledger ${world.ledgers.knits}`,
  ].join('\n');
  return messageOf(text, {
    tenantId: world.tenantId,
    organizations: world.orgIds,
    ledgers: world.ledgers,
    dealId: world.dealId,
  });
}
