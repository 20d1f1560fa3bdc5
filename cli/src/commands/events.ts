import { toJson } from '@bufbuild/protobuf';
import { type Command } from 'commander';
import {
  OperationsService,
  ReplayDeadLettersResponseSchema,
} from '@kontor/contracts/ledger/v1/operations_service_pb';
import { TenantService } from '@kontor/contracts/ledger/v1/tenant_service_pb';
import { action, type CommandContext, examples, type Io } from '../command-kit';
import { configError } from '../exit-codes';
import { recordOf, tableOf } from '../output/output';
import { today } from '../output/values';
import { type DeadLetter, type DeadLetterFilter } from './dead-letter-reader';
import { positiveInteger } from './paging';
import { type SampleEvent } from './sample-events';

// The Kafka client is heavy to load: only the commands that talk to Kafka load it.
const sampleEvents = () => import('./sample-events');

interface PaymentOptions {
  vendor: string;
  customer: string;
  amount: string;
  currency: string;
  tax: string;
  fee: string;
  product: string;
  method: string;
  order?: string;
  paymentId?: string;
}

interface InvoiceOptions {
  issuer: string;
  customer: string;
  number: string;
  amount: string;
  tax: string;
  currency: string;
  date: string;
  due?: string;
  product: string;
  description: string;
}

/** Publishes one event the way an order or billing system would: CloudEvents on its topic. */
async function publishOne(
  ctx: CommandContext,
  build: (samples: Awaited<ReturnType<typeof sampleEvents>>) => SampleEvent,
) {
  const samples = await sampleEvents();
  const event = build(samples);
  const [published] = await samples.publishEvents(ctx.connection().settings.kafkaBrokers, [event]);
  return recordOf(
    [
      ['topic', event.topic.name],
      ['event id', event.id],
      ['type', event.schema.typeName],
      ['partition / offset', `${published?.partition ?? ''} / ${published?.offset ?? ''}`],
    ],
    { topic: event.topic.name, id: event.id, payload: toJson(event.schema, event.message) },
  );
}

export function registerEventCommands(program: Command, io: Io): void {
  const events = program
    .command('events')
    .description('publish sample events to Kafka; inspect and replay dead letters')
    .addHelpText(
      'after',
      examples(
        'kontor events publish payment --vendor V-100 --customer C-1 --amount 25.00 --currency EUR',
      ),
    );

  const publishCommand = events
    .command('publish')
    .description('publish a sample payment or invoice event (as an order/billing system would)')
    .addHelpText(
      'after',
      examples(
        'kontor events publish invoice --issuer V-100 --customer C-1 --number INV-7 --amount 100.00 --currency EUR',
      ),
    );

  const dlq = events
    .command('dlq')
    .description('dead letters: events a consumer could not apply, with the reason')
    .addHelpText('after', examples('kontor events dlq list --topic payments.events.v1'));
  publishcommandPaymentCommand(publishCommand, io);
  publishcommandInvoiceCommand(publishCommand, io);
  dlqListCommand(dlq, io);
  dlqReplayCommand(dlq, io);
}

function publishcommandPaymentCommand(publishCommand: Command, io: Io): void {
  publishCommand
    .command('payment')
    .description(
      'a PaymentCaptured on payments.events.v1 (posted into the vendor’s primary ledger)',
    )
    .requiredOption('--vendor <externalId>', 'vendor organization external id')
    .requiredOption('--customer <externalId>', 'customer organization external id')
    .requiredOption('--amount <net>', 'net amount, e.g. 25.00')
    .requiredOption('--currency <code>', 'ISO 4217')
    .option('--tax <amount>', 'tax amount', '0')
    .option('--fee <amount>', 'marketplace fee', '0')
    .option('--product <product>', 'product code', 'sample')
    .option('--method <method>', 'payment method', 'card')
    .option('--order <orderId>', 'order id (default: a new one)')
    .option('--payment-id <id>', 'payment id (default: a new one); the same id publishes once')
    .addHelpText(
      'after',
      examples(
        'kontor events publish payment --vendor V-100 --customer C-1 --amount 25.00 --tax 4.75 --fee 2.50 --currency EUR',
      ),
    )
    .action(
      action<PaymentOptions>(io, (ctx, options) =>
        publishOne(ctx, (samples) =>
          samples.paymentCaptured({
            tenantId: ctx.connection().requireTenantId(),
            vendor: options.vendor,
            customer: options.customer,
            currency: options.currency,
            amount: options.amount,
            tax: options.tax,
            fee: options.fee,
            product: options.product,
            method: options.method,
            orderId: options.order,
            paymentId: options.paymentId,
          }),
        ),
      ),
    );
}

function publishcommandInvoiceCommand(publishCommand: Command, io: Io): void {
  publishCommand
    .command('invoice')
    .description('an InvoiceIssued on billing.invoices.v1 (posted as what the customer owes)')
    .requiredOption('--issuer <externalId>', 'issuing organization external id')
    .requiredOption('--customer <externalId>', 'customer organization external id')
    .requiredOption('--number <invoiceNumber>', 'invoice number; the same number publishes once')
    .requiredOption('--amount <net>', 'net amount')
    .requiredOption('--currency <code>', 'ISO 4217')
    .option('--tax <amount>', 'tax amount', '0')
    .option('--date <YYYY-MM-DD>', 'issue date (default: today)', today())
    .option('--due <YYYY-MM-DD>', 'due date (default: the issue date)')
    .option('--product <product>', 'product code', 'sample')
    .option('--description <text>', 'line description', 'sample invoice line')
    .addHelpText(
      'after',
      examples(
        'kontor events publish invoice --issuer V-100 --customer C-1 --number INV-7 --amount 100.00 --tax 19.00 --currency EUR --due 2026-12-31',
      ),
    )
    .action(
      action<InvoiceOptions>(io, (ctx, options) =>
        publishOne(ctx, (samples) =>
          samples.invoiceIssued({
            tenantId: ctx.connection().requireTenantId(),
            issuer: options.issuer,
            customer: options.customer,
            number: options.number,
            currency: options.currency,
            amount: options.amount,
            tax: options.tax,
            issueDate: options.date,
            dueDate: options.due ?? options.date,
            product: options.product,
            description: options.description,
          }),
        ),
      ),
    );
}

interface DlqListOptions {
  topic: string;
  limit: number;
  allTenants?: boolean;
}

function dlqListCommand(dlq: Command, io: Io): void {
  dlq
    .command('list')
    .description(
      'the dead letters of a topic waiting for a replay: your tenant’s, or every tenant’s with ' +
        'the admin token',
    )
    .requiredOption('--topic <topic>', 'the source topic, e.g. payments.events.v1')
    .option('--limit <n>', 'show at most n', positiveInteger, 100)
    .option(
      '--all-tenants',
      "every tenant's letters, also those that cannot be decoded (admin token)",
    )
    .addHelpText(
      'after',
      examples(
        'kontor events dlq list --topic payments.events.v1 --json',
        'kontor events dlq list --topic billing.invoices.v1 --tenant 0b6f…',
        'kontor events dlq list --topic billing.invoices.v1 --all-tenants --admin-token kontor_admin_…',
      ),
    )
    .action(
      action<DlqListOptions>(io, async (ctx, options) => {
        const filter = await deadLetterFilter(ctx, options.allTenants ?? false);
        const brokers = ctx.connection().settings.kafkaBrokers;
        const [{ readDeadLetters }, { cliKafka }] = await Promise.all([
          import('./dead-letter-reader'),
          import('./kafka-access'),
        ]);
        const letters = await readDeadLetters(
          cliKafka(brokers),
          brokers,
          options.topic,
          options.limit,
          filter,
        );
        return tableOf(
          letters,
          [
            { header: 'partition/offset', cell: (row) => `${row.partition}/${row.offset}` },
            { header: 'type', cell: (row) => row.type },
            { header: 'event id', cell: (row) => row.eventId },
            ...(filter === 'all-tenants'
              ? [{ header: 'tenant', cell: (row: DeadLetter) => row.tenantId }]
              : []),
            { header: 'reason', cell: (row) => row.reason },
            { header: 'error', cell: (row) => row.error },
            { header: 'failed at', cell: (row) => row.failedAt },
          ],
          { deadLetters: letters },
        );
      }),
    );
}

// Kafka does not know tenants: the CLI filters what it reads. A tenant's view needs its id (an API
// key does not name its tenant); every tenant's view needs a token the ledger takes as the admin's.
async function deadLetterFilter(
  ctx: CommandContext,
  allTenants: boolean,
): Promise<DeadLetterFilter> {
  const connection = ctx.connection();
  const { tenantId, apiKey, adminToken } = connection.settings;
  if (!allTenants) {
    if (tenantId) return { tenantId };
    if (apiKey) {
      throw configError(
        'which tenant? pass --tenant <id> or save it in the profile with the API key ' +
          '(kontor profile set <name> --tenant <id>); the admin token lists all tenants',
      );
    }
    if (!adminToken) {
      throw configError(
        'dead letters are listed per tenant: pass --tenant <id>, or the admin token for all tenants',
      );
    }
  }
  // Exit 4 unless the ledger takes the token as the platform admin's; 78 when there is none.
  await connection.admin(TenantService).listTenants({ pageSize: 1 });
  return 'all-tenants';
}

function dlqReplayCommand(dlq: Command, io: Io): void {
  dlq
    .command('replay')
    .description('re-publish dead letters to their topic after the cause is fixed (admin token)')
    .requiredOption('--topic <topic>', 'the source topic, e.g. payments.events.v1')
    .option('--limit <n>', 'replay at most n', positiveInteger, 1000)
    .addHelpText('after', examples('kontor events dlq replay --topic payments.events.v1'))
    .action(
      action<{ topic: string; limit: number }>(io, async (ctx, options) => {
        const response = await ctx
          .connection()
          .admin(OperationsService)
          .replayDeadLetters({ topic: options.topic, limit: options.limit });
        return recordOf(
          [
            ['replayed', String(response.replayed)],
            ['remaining', String(response.remaining)],
          ],
          toJson(ReplayDeadLettersResponseSchema, response),
        );
      }),
    );
}
