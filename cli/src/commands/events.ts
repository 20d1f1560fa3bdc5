import { toJson } from '@bufbuild/protobuf';
import { type Command } from 'commander';
import {
  OperationsService,
  ReplayDeadLettersResponseSchema,
} from '@kontor/contracts/ledger/v1/operations_service_pb';
import { action, type CommandContext, examples, type Io } from '../command-kit';
import { recordOf, tableOf } from '../output/output';
import { today } from '../output/values';
import { readDeadLetters } from './dead-letter-reader';
import { cliKafka } from './kafka-access';
import { positiveInteger } from './paging';
import { invoiceIssued, paymentCaptured, publishEvents, type SampleEvent } from './sample-events';

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
async function publishOne(ctx: CommandContext, event: SampleEvent) {
  const [published] = await publishEvents(ctx.connection().settings.kafkaBrokers, [event]);
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
        publishOne(
          ctx,
          paymentCaptured({
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
        publishOne(
          ctx,
          invoiceIssued({
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

function dlqListCommand(dlq: Command, io: Io): void {
  dlq
    .command('list')
    .description('the dead letters of a topic that are waiting for a replay')
    .requiredOption('--topic <topic>', 'the source topic, e.g. payments.events.v1')
    .option('--limit <n>', 'show at most n', positiveInteger, 100)
    .addHelpText('after', examples('kontor events dlq list --topic payments.events.v1 --json'))
    .action(
      action<{ topic: string; limit: number }>(io, async (ctx, options) => {
        const brokers = ctx.connection().settings.kafkaBrokers;
        const letters = await readDeadLetters(
          cliKafka(brokers),
          brokers,
          options.topic,
          options.limit,
        );
        return tableOf(
          letters,
          [
            { header: 'partition/offset', cell: (row) => `${row.partition}/${row.offset}` },
            { header: 'type', cell: (row) => row.type },
            { header: 'event id', cell: (row) => row.eventId },
            { header: 'reason', cell: (row) => row.reason },
            { header: 'error', cell: (row) => row.error },
            { header: 'failed at', cell: (row) => row.failedAt },
          ],
          { deadLetters: letters },
        );
      }),
    );
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
