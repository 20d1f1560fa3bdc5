import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import {
  MikroORM,
  UniqueConstraintViolationException,
  type EntityManager,
} from '@mikro-orm/postgresql';
import {
  validateNewFiscalYear,
  validateNewJournal,
  type NewFiscalYear,
} from './domain/fiscal-year';
import { journalClash, type JournalSpec } from './domain/journal';
import { formatMonth, monthStartDate, type Month } from './domain/month';
import { PeriodError, PeriodErrorCode } from './domain/period.errors';
import * as rows from './persistence/period.rows';

export interface FiscalYearView {
  id: string;
  ledgerId: string;
  name: string;
  months: rows.FiscalMonthRow[];
}

export interface CreatedFiscalYear {
  fiscalYear: FiscalYearView;
  journals: rows.JournalRow[];
}

export interface ClosedMonth {
  month: rows.FiscalMonthRow;
  turnovers: rows.TurnoverRow[];
}

@Injectable()
export class PeriodsService {
  constructor(private readonly orm: MikroORM) {}

  /** Creates a fiscal year of open months, with its journals, unless a month is taken. */
  async createFiscalYear(
    tenantId: string,
    ledgerId: string,
    input: NewFiscalYear,
  ): Promise<CreatedFiscalYear> {
    const valid = validateNewFiscalYear(input);
    const first = monthStartDate(valid.months[0]);
    const last = monthStartDate(valid.months[valid.months.length - 1]);

    return this.transaction(async (em) => {
      await lockLedger(em, tenantId, ledgerId);
      if (await rows.findFiscalYearByName(em, ledgerId, valid.name)) {
        throw new PeriodError(
          PeriodErrorCode.FISCAL_YEAR_NAME_TAKEN,
          `fiscal year name "${valid.name}" is already used in ledger ${ledgerId}`,
          { fieldViolations: [{ field: 'name', description: 'already used in this ledger' }] },
        );
      }
      const taken = await rows.firstTakenMonth(em, ledgerId, first, last);
      if (taken) {
        throw new PeriodError(
          PeriodErrorCode.MONTH_IN_OTHER_FISCAL_YEAR,
          `month ${taken.month} already belongs to fiscal year "${taken.fiscal_year_name}" ` +
            `of this ledger; fiscal years must not overlap`,
          {
            fieldViolations: [
              { field: 'start_month', description: `${taken.month} is in another fiscal year` },
            ],
          },
        );
      }
      const id = randomUUID();
      await rows.insertFiscalYear(em, { id, tenantId, ledgerId, name: valid.name, first, last });
      const journals: rows.JournalRow[] = [];
      for (const journal of valid.journals) {
        journals.push(await this.addJournal(em, tenantId, ledgerId, id, journal));
      }
      const months = await rows.listMonths(em, ledgerId);

      return {
        fiscalYear: { id, ledgerId, name: valid.name, months: monthsOf(months, id) },
        journals,
      };
    });
  }

  /** The ledger's fiscal years with their months, oldest first. */
  async listFiscalYears(tenantId: string, ledgerId: string): Promise<FiscalYearView[]> {
    const em = this.orm.em.fork();
    if (!(await rows.ledgerExists(em, tenantId, ledgerId))) throw ledgerNotFound(ledgerId);
    const years = await rows.listFiscalYears(em, ledgerId);
    const months = await rows.listMonths(em, ledgerId);

    return years.map((year) => ({
      id: year.id,
      ledgerId: year.ledger_id,
      name: year.name,
      months: monthsOf(months, year.id),
    }));
  }

  /** Closes an open month and records its turnovers; audited with the actor. */
  async closeMonth(
    tenantId: string,
    ledgerId: string,
    month: Month,
    actor: string,
  ): Promise<ClosedMonth> {
    const date = monthStartDate(month);

    return this.transaction(async (em) => {
      await lockLedger(em, tenantId, ledgerId);
      const current = await lockExistingMonth(em, ledgerId, month);
      if (current.status === 'closed') {
        throw new PeriodError(
          PeriodErrorCode.MONTH_ALREADY_CLOSED,
          `month ${formatMonth(month)} is already closed; reopen it first to close it again`,
          { fieldViolations: [{ field: 'month', description: 'already closed' }] },
        );
      }
      const at = new Date();
      const turnovers = await rows.recordClosing(em, tenantId, ledgerId, date);
      const closed = await rows.setMonthStatus(em, ledgerId, date, 'closed', at);
      await rows.insertAudit(em, {
        tenantId,
        ledgerId,
        month: date,
        action: 'closed',
        reason: null,
        actor,
        at,
      });

      return { month: closed, turnovers };
    });
  }

  /** Reopens a closed month; the reason goes to the audit trail. */
  async reopenMonth(
    tenantId: string,
    ledgerId: string,
    month: Month,
    reason: string,
    actor: string,
  ): Promise<rows.FiscalMonthRow> {
    const date = monthStartDate(month);

    return this.transaction(async (em) => {
      await lockLedger(em, tenantId, ledgerId);
      const current = await lockExistingMonth(em, ledgerId, month);
      if (current.status !== 'closed') {
        throw new PeriodError(
          PeriodErrorCode.MONTH_NOT_CLOSED,
          `month ${formatMonth(month)} is open; only a closed month can be reopened`,
          { fieldViolations: [{ field: 'month', description: 'not closed' }] },
        );
      }
      const at = new Date();
      const reopened = await rows.setMonthStatus(em, ledgerId, date, 'open', at);
      await rows.insertAudit(em, {
        tenantId,
        ledgerId,
        month: date,
        action: 'reopened',
        reason,
        actor,
        at,
      });

      return reopened;
    });
  }

  /** Adds a journal to a fiscal year; symbol and name are unique case-insensitively in it. */
  async createJournal(
    tenantId: string,
    fiscalYearId: string,
    input: JournalSpec,
  ): Promise<rows.JournalRow> {
    const journal = validateNewJournal(input);

    return this.transaction(async (em) => {
      const year = await requireFiscalYear(em, tenantId, fiscalYearId);
      await lockLedger(em, tenantId, year.ledger_id);

      return this.addJournal(em, tenantId, year.ledger_id, year.id, journal);
    });
  }

  /** The journals of a fiscal year ordered by symbol. */
  async listJournals(tenantId: string, fiscalYearId: string): Promise<rows.JournalRow[]> {
    const em = this.orm.em.fork();
    const year = await requireFiscalYear(em, tenantId, fiscalYearId);

    return rows.listJournals(em, year.id);
  }

  private async addJournal(
    em: EntityManager,
    tenantId: string,
    ledgerId: string,
    fiscalYearId: string,
    journal: JournalSpec,
  ): Promise<rows.JournalRow> {
    const year = await requireFiscalYear(em, tenantId, fiscalYearId);
    const [existing] = await rows.findJournalClashes(
      em,
      fiscalYearId,
      journal.symbol,
      journal.name,
    );
    const clash = existing && journalClash(journal, { ...existing, fiscalYearName: year.name });
    if (clash) throw journalTaken(clash);

    return rows.insertJournal(em, {
      id: randomUUID(),
      tenantId,
      ledgerId,
      fiscalYearId,
      ...journal,
    });
  }

  private async transaction<T>(work: (em: EntityManager) => Promise<T>): Promise<T> {
    try {
      return await this.orm.em.fork().transactional(work);
    } catch (error) {
      // The unique indexes back the checks above (e.g. a lower() that differs from JS's).
      if (!(error instanceof UniqueConstraintViolationException)) throw error;
      const symbol = /journals_symbol_unique/.test(error.message);
      const name = /journals_name_unique/.test(error.message);
      if (!symbol && !name) throw error;
      throw journalTaken({
        field: symbol ? 'symbol' : 'name',
        message: `journal ${symbol ? 'symbol' : 'name'} is already used in this fiscal year`,
      });
    }
  }
}

async function lockLedger(em: EntityManager, tenantId: string, ledgerId: string) {
  if (!(await rows.lockLedger(em, tenantId, ledgerId))) throw ledgerNotFound(ledgerId);
}

async function lockExistingMonth(em: EntityManager, ledgerId: string, month: Month) {
  const row = await rows.lockMonth(em, ledgerId, monthStartDate(month));
  if (!row) {
    throw new PeriodError(
      PeriodErrorCode.MONTH_NOT_FOUND,
      `month ${formatMonth(month)} is not in any fiscal year of ledger ${ledgerId}`,
      { fieldViolations: [{ field: 'month', description: 'not in any fiscal year' }] },
    );
  }

  return row;
}

async function requireFiscalYear(em: EntityManager, tenantId: string, fiscalYearId: string) {
  const year = await rows.findFiscalYear(em, tenantId, fiscalYearId);
  if (!year) {
    throw new PeriodError(
      PeriodErrorCode.FISCAL_YEAR_NOT_FOUND,
      `fiscal year ${fiscalYearId} not found`,
      {
        fieldViolations: [
          { field: 'fiscal_year_id', description: 'no such fiscal year for this tenant' },
        ],
      },
    );
  }

  return year;
}

function monthsOf(months: rows.FiscalMonthRow[], fiscalYearId: string) {
  return months.filter((month) => month.fiscal_year_id === fiscalYearId);
}

function ledgerNotFound(ledgerId: string): PeriodError {
  // Another tenant's ledger is indistinguishable from a missing one.
  return new PeriodError(PeriodErrorCode.LEDGER_NOT_FOUND, `ledger ${ledgerId} not found`, {
    fieldViolations: [{ field: 'ledger_id', description: 'no such ledger for this tenant' }],
  });
}

function journalTaken(clash: { field: 'symbol' | 'name'; message: string }): PeriodError {
  return new PeriodError(
    clash.field === 'symbol'
      ? PeriodErrorCode.JOURNAL_SYMBOL_TAKEN
      : PeriodErrorCode.JOURNAL_NAME_TAKEN,
    clash.message,
    { fieldViolations: [{ field: clash.field, description: clash.message }] },
  );
}
