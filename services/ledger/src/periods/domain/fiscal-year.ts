import { FieldViolations } from '@kontor/errors';
import { checkJournal, journalClash, type JournalSpec } from './journal';
import { consecutiveMonths, describeMonthProblem, parseMonth, type Month } from './month';
import { PeriodError, PeriodErrorCode } from './period.errors';

export const MONTH_COUNT_MAX = 24;
export const MONTH_COUNT_DEFAULT = 12;
const NAME_MAX = 50;
const REASON_MAX = 500;

export interface NewFiscalYear {
  name: string;
  startMonth: string;
  /** 1-24; 0 means 12. */
  monthCount: number;
  journals: readonly JournalSpec[];
}

export interface ValidFiscalYear {
  name: string;
  months: Month[];
  journals: JournalSpec[];
}

/** Validates a fiscal year to create; INVALID_FISCAL_YEAR lists every bad field. */
export function validateNewFiscalYear(input: NewFiscalYear): ValidFiscalYear {
  const violations = new FieldViolations();
  const name = input.name.trim();
  const nameLength = [...name].length;
  if (nameLength === 0 || nameLength > NAME_MAX) {
    violations.add('name', `must be 1-${NAME_MAX} characters, got ${nameLength}`);
  }
  const first = parseMonth(input.startMonth);
  if (!first) violations.add('start_month', describeMonthProblem(input.startMonth));
  const count = input.monthCount === 0 ? MONTH_COUNT_DEFAULT : input.monthCount;
  if (!Number.isInteger(count) || count < 1 || count > MONTH_COUNT_MAX) {
    violations.add(
      'month_count',
      `must be 1-${MONTH_COUNT_MAX} (0 means ${MONTH_COUNT_DEFAULT}), got ${input.monthCount}`,
    );
  }
  const journals = input.journals.map((journal, index) =>
    checkJournal(journal, violations, `journals[${index}].`, true),
  );
  checkJournalsDistinct(journals, name, violations);
  if (!violations.isEmpty || !first) {
    throw new PeriodError(
      PeriodErrorCode.INVALID_FISCAL_YEAR,
      `invalid fiscal year: ${violations.summary()}`,
      { fieldViolations: violations.all },
    );
  }

  return { name, months: consecutiveMonths(first, count), journals };
}

/** Two journals asked for in one request must not clash with each other either. */
function checkJournalsDistinct(
  journals: readonly JournalSpec[],
  fiscalYearName: string,
  violations: FieldViolations,
): void {
  journals.forEach((journal, index) => {
    for (const earlier of journals.slice(0, index)) {
      const clash = journalClash(journal, { ...earlier, fiscalYearName });
      if (clash) {
        violations.add(`journals[${index}].${clash.field}`, clash.message);
        break;
      }
    }
  });
}

/** Validates a month of a request (CloseMonth, ReopenMonth); INVALID_MONTH otherwise. */
export function requireMonth(text: string): Month {
  const month = parseMonth(text);
  if (!month) {
    const problem = describeMonthProblem(text);
    throw new PeriodError(PeriodErrorCode.INVALID_MONTH, `month: ${problem}`, {
      fieldViolations: [{ field: 'month', description: problem }],
    });
  }

  return month;
}

/** A reopening must say why: 1-500 characters, kept in the audit trail. */
export function requireReason(text: string): string {
  const reason = text.trim();
  const length = [...reason].length;
  if (length === 0 || length > REASON_MAX) {
    const problem = `must be 1-${REASON_MAX} characters, got ${length}`;
    throw new PeriodError(PeriodErrorCode.INVALID_REASON, `reason: ${problem}`, {
      fieldViolations: [{ field: 'reason', description: problem }],
    });
  }

  return reason;
}

/** Validates one journal to add to a fiscal year; INVALID_JOURNAL otherwise. */
export function validateNewJournal(input: JournalSpec): JournalSpec {
  const violations = new FieldViolations();
  const journal = checkJournal(input, violations, '', false);
  if (!violations.isEmpty) {
    throw new PeriodError(
      PeriodErrorCode.INVALID_JOURNAL,
      `invalid journal: ${violations.summary()}`,
      {
        fieldViolations: violations.all,
      },
    );
  }

  return journal;
}
