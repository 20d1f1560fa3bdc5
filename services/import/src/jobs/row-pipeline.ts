import { setImmediate } from 'node:timers/promises';
import {
  EntrySide,
  EntrySource,
  TransactionType,
} from '@kontor/contracts/ledger/v1/entry_service_pb';
import { type ProfileDefinition } from '../profiles/domain/profile';
import { ImportError, ImportErrorCode } from '../profiles/domain/import.errors';
import {
  type EntryInput,
  type LedgerCalendar,
  type LedgerGateway,
  type Organization,
} from '../ledger-client/ledger-gateway';
import { mapRow, planRows, type MappedRow, type RowError, type RowPlan } from './domain/row-mapper';
import { readCsv, type ReadOptions } from './reading/csv-reader';

export type RowItem =
  | { kind: 'valid'; line: number; fields: string[]; row: MappedRow; entry: EntryInput }
  | { kind: 'invalid'; line: number; fields: string[]; errors: RowError[] };

export interface PipelineInput {
  tenantId: string;
  profileId: string;
  definition: ProfileDefinition;
  chunks: AsyncIterable<Uint8Array>;
  ledger: LedgerGateway;
  read?: ReadOptions;
}

/** The idempotency key of a row in the ledger: the same row always gets the same key. */
export const idempotencyKey = (identity: string) => `import:${identity}`;

/**
 * Resolves what the file cannot say by itself: counterparties by external id (and their primary
 * ledgers), and whether the accounts exist in the target ledger. Lookups are cached per job.
 */
class Resolver {
  private organizations: Promise<Map<string, Organization>> | null = null;
  private readonly charts = new Map<string, Promise<Set<string> | undefined>>();
  private readonly calendars = new Map<string, Promise<LedgerCalendar>>();

  constructor(
    private readonly tenantId: string,
    private readonly definition: ProfileDefinition,
    private readonly ledger: LedgerGateway,
  ) {}

  private chart(ledgerId: string) {
    let chart = this.charts.get(ledgerId);
    if (!chart) {
      chart = this.ledger.accountCodes(this.tenantId, ledgerId);
      this.charts.set(ledgerId, chart);
    }

    return chart;
  }

  private calendar(ledgerId: string) {
    let calendar = this.calendars.get(ledgerId);
    if (!calendar) {
      calendar = this.ledger.calendar(this.tenantId, ledgerId);
      this.calendars.set(ledgerId, calendar);
    }

    return calendar;
  }

  /** The ledger would refuse a date outside its open months or an unknown journal: say so now. */
  private async checkPeriod(
    ledgerId: string,
    row: MappedRow,
    dateColumn: string,
    errors: RowError[],
  ) {
    const month = (await this.calendar(ledgerId)).get(row.entryDate.slice(0, 7));
    const error = (column: string, rawValue: string, reason: string) =>
      errors.push({ rowNumber: row.rowNumber, column, rawValue, reason });
    if (!month) {
      error(
        dateColumn,
        row.entryDate,
        `${row.entryDate.slice(0, 7)} is in no fiscal year of the ledger`,
      );
    } else if (!month.open) {
      error(dateColumn, row.entryDate, `${row.entryDate.slice(0, 7)} is closed in the ledger`);
    } else if (!month.journals.has(this.definition.journalSymbol.toUpperCase())) {
      error(
        '',
        this.definition.journalSymbol,
        `the fiscal year of ${row.entryDate} has no journal ${this.definition.journalSymbol}`,
      );
    }
  }

  async resolve(row: MappedRow, names: RowPlan['names'], plan: RowPlan) {
    const errors: RowError[] = [];
    const error = (column: string, rawValue: string, reason: string) =>
      errors.push({ rowNumber: row.rowNumber, column, rawValue, reason });
    let counterpartyId = '';
    let ledgerId = 'ledgerId' in this.definition.ledger ? this.definition.ledger.ledgerId : '';
    const counterpartyColumn =
      plan.columns.counterparty === null ? '' : names[plan.columns.counterparty];
    if (row.counterpartyExternalId !== null) {
      this.organizations ??= this.ledger.organizationsByExternalId(this.tenantId);
      const organization = (await this.organizations).get(row.counterpartyExternalId);
      if (!organization) {
        error(
          counterpartyColumn,
          row.counterpartyExternalId,
          'no organization has this external id',
        );
      } else {
        counterpartyId = organization.id;
        if ('fromCounterparty' in this.definition.ledger) {
          ledgerId = organization.primaryLedgerId;
          if (ledgerId === '') {
            error(
              counterpartyColumn,
              row.counterpartyExternalId,
              'the organization has no primary ledger',
            );
          }
        }
      }
    }
    if (ledgerId !== '') {
      const chart = await this.chart(ledgerId);
      if (chart === undefined) {
        if ('ledgerId' in this.definition.ledger) {
          throw new ImportError(
            ImportErrorCode.INVALID_PROFILE,
            `the profile's ledger ${ledgerId} does not exist for this tenant`,
          );
        }
        error(
          counterpartyColumn,
          row.counterpartyExternalId ?? '',
          `its primary ledger ${ledgerId} is not found`,
        );
      } else {
        await this.checkPeriod(ledgerId, row, names[plan.columns.date], errors);
        for (const code of new Set([row.debitAccount, row.creditAccount])) {
          if (!chart.has(code)) {
            const column = plan.columns.account === null ? '' : names[plan.columns.account];
            error(column, code, `account ${code} is not in the ledger's chart`);
          }
        }
      }
    }

    return { errors, ledgerId, counterpartyId };
  }
}

function toEntry(
  row: MappedRow,
  definition: ProfileDefinition,
  ledgerId: string,
  counterpartyId: string,
): EntryInput {
  const signed = row.amount.toString();
  const amount = {
    amount: signed.startsWith('-') ? signed.slice(1) : signed,
    currency: row.amount.currency.code,
  };
  const line = { amount, counterpartyId, product: row.product };

  return {
    idempotencyKey: idempotencyKey(row.identity),
    ledgerId,
    journalSymbol: definition.journalSymbol,
    entryDate: row.entryDate,
    transactionType: (definition.transactionType || TransactionType.ADJUSTMENT) as TransactionType,
    reference: row.reference,
    description: row.description,
    source: EntrySource.IMPORT,
    lines: [
      { ...line, accountCode: row.debitAccount, side: EntrySide.DEBIT },
      { ...line, accountCode: row.creditAccount, side: EntrySide.CREDIT },
    ],
  };
}

/** Records between turns of the event loop (a few milliseconds of parsing and mapping). */
const YIELD_EVERY_RECORDS = 500;

/**
 * A file's data rows, each valid (with the entry it posts) or invalid (with every error), in
 * file order. A file that does not match its profile (missing columns) fails as a whole.
 */
export async function* pipeRows(input: PipelineInput): AsyncGenerator<RowItem> {
  const { definition } = input;
  const resolver = new Resolver(input.tenantId, definition, input.ledger);
  let plan: RowPlan | null = null;
  let sinceYield = 0;
  for await (const record of readCsv(input.chunks, definition.file, input.read)) {
    // Parsing a buffered chunk only ever awaits promises already settled, which would starve
    // the event loop: gRPC calls (a commit, a cancel, a health check) wait until the pass ends.
    if (++sinceYield >= YIELD_EVERY_RECORDS) {
      sinceYield = 0;
      await setImmediate();
    }
    if (plan === null) {
      const header = definition.file.hasHeader ? record.fields : null;
      const planned = planRows(
        definition,
        header,
        record.fields.length,
        `${input.tenantId}/${input.profileId}`,
      );
      if ('problems' in planned) {
        throw new ImportError(
          ImportErrorCode.FILE_UNREADABLE,
          `the file does not match the profile: ${planned.problems.join('; ')}`,
        );
      }
      plan = planned.plan;
      if (header !== null) continue;
    }
    const outcome = mapRow(plan, record.fields, record.line);
    if (!outcome.ok) {
      yield { kind: 'invalid', line: record.line, fields: record.fields, errors: outcome.errors };
      continue;
    }
    const resolved = await resolver.resolve(outcome.row, plan.names, plan);
    if (resolved.errors.length > 0) {
      yield { kind: 'invalid', line: record.line, fields: record.fields, errors: resolved.errors };
      continue;
    }
    const entry = toEntry(outcome.row, definition, resolved.ledgerId, resolved.counterpartyId);
    yield { kind: 'valid', line: record.line, fields: record.fields, row: outcome.row, entry };
  }
}
