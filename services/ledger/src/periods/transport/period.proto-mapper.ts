import { type MessageInitShape } from '@bufbuild/protobuf';
import { timestampFromDate } from '@bufbuild/protobuf/wkt';
import {
  MonthStatus,
  type AccountTurnoverSchema,
  type FiscalMonthSchema,
  type FiscalYearSchema,
  type JournalSchema,
} from '@kontor/contracts/ledger/v1/period_service_pb';
import { Money } from '@kontor/money';
import { type FiscalYearView } from '../periods.service';
import { type FiscalMonthRow, type JournalRow, type TurnoverRow } from '../persistence/period.rows';

export function toMonthMessage(month: FiscalMonthRow): MessageInitShape<typeof FiscalMonthSchema> {
  return {
    month: month.month,
    status: month.status === 'closed' ? MonthStatus.CLOSED : MonthStatus.OPEN,
    closeTime: month.closed_at ? timestampFromDate(new Date(month.closed_at)) : undefined,
  };
}

export function toFiscalYearMessage(
  year: FiscalYearView,
): MessageInitShape<typeof FiscalYearSchema> {
  return {
    id: year.id,
    ledgerId: year.ledgerId,
    name: year.name,
    months: year.months.map(toMonthMessage),
  };
}

export function toJournalMessage(journal: JournalRow): MessageInitShape<typeof JournalSchema> {
  return {
    id: journal.id,
    fiscalYearId: journal.fiscal_year_id,
    symbol: journal.symbol,
    name: journal.name,
    nextEntryNumber: BigInt(journal.next_number),
  };
}

export function toTurnoverMessage(
  row: TurnoverRow,
): MessageInitShape<typeof AccountTurnoverSchema> {
  // NUMERIC(38,10) read back as text: exact, never through a JS number.
  const money = (amount: string) => Money.fromDecimal(amount, row.currency).toJSON();

  return {
    accountCode: row.account_code,
    currency: row.currency,
    openingBalance: money(row.opening_balance),
    debit: money(row.debit),
    credit: money(row.credit),
    closingBalance: money(row.closing_balance),
  };
}
