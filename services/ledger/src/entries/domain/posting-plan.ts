import { Money, MoneyError } from '@kontor/money';
import {
  signedAmount,
  withinLimit,
  type BalanceLimit,
  type EntryCommand,
  type EntryLineCommand,
} from './entry';
import { EntryError, EntryErrorCode } from './entry.errors';

/**
 * What the posting transaction read under the ledger locks, keyed for in-memory resolution.
 * Keys: `ledgerId|x` joined with '|'.
 */
export interface PostingLookups {
  /** Ledgers of the tenant that were locked, with their last handed-out sequence. */
  ledgers: Map<string, { lastSequence: bigint }>;
  /** `ledgerId|idempotencyKey` → the entry already posted with it. */
  existing: Map<string, { entryId: string; digest: Buffer }>;
  /** `ledgerId|accountCode` → account. */
  accounts: Map<string, { id: string; balanceLimit: BalanceLimit | null }>;
  /** `ledgerId|YYYY-MM-01` → the month. */
  months: Map<string, { status: string; fiscalYearId: string }>;
  /** `fiscalYearId|SYMBOL` (upper case) → journal. */
  journals: Map<string, { id: string; symbol: string; nextNumber: bigint }>;
  /** Organizations of the tenant named as counterparties. */
  counterparties: ReadonlySet<string>;
  /** `accountId|currency` → current balance (debit − credit) of accounts with a limit. */
  balances: Map<string, Money>;
  /** Entries that already have a reversal. */
  reversed: ReadonlySet<string>;
}

export interface AcceptedEntry {
  kind: 'accepted';
  entryId: string;
  command: EntryCommand;
  journalId: string;
  journalSymbol: string;
  number: bigint;
  ledgerSequence: bigint;
  /** Account id of each line, in line order. */
  accountIds: string[];
}

export type PlannedEntry =
  AcceptedEntry | { kind: 'replayed'; entryId: string } | { kind: 'rejected'; error: EntryError };

export const key = (...parts: string[]): string => parts.join('|');

function idempotency(
  command: EntryCommand,
  lookups: PostingLookups,
  batch: Map<string, { entryId: string; digest: Buffer }>,
): PlannedEntry | undefined {
  const k = key(command.ledgerId, command.idempotencyKey);
  const earlier = lookups.existing.get(k) ?? batch.get(k);
  if (!earlier) return undefined;
  if (earlier.digest.equals(command.digest)) return { kind: 'replayed', entryId: earlier.entryId };

  return {
    kind: 'rejected',
    error: new EntryError(
      EntryErrorCode.IDEMPOTENCY_KEY_REUSED,
      `idempotency_key "${command.idempotencyKey}" was already used for entry ${earlier.entryId} ` +
        `with different content; use a new key for a new entry`,
      {
        fieldViolations: [
          { field: 'idempotency_key', description: 'already used with different content' },
        ],
      },
    ),
  };
}

function reject(code: EntryErrorCode, message: string, field: string, description: string) {
  return new EntryError(code, message, { fieldViolations: [{ field, description }] });
}

function resolveJournal(command: EntryCommand, lookups: PostingLookups) {
  const month = `${command.entryDate.slice(0, 7)}-01`;
  const fiscalMonth = lookups.months.get(key(command.ledgerId, month));
  if (!fiscalMonth || fiscalMonth.status !== 'open') {
    const state = fiscalMonth ? 'is closed' : 'is not in an opened fiscal year';
    throw reject(
      EntryErrorCode.PERIOD_NOT_OPEN,
      `entry_date ${command.entryDate}: month ${month.slice(0, 7)} ${state}; post into an open month`,
      'entry_date',
      `month ${month.slice(0, 7)} ${state}`,
    );
  }
  const journal = lookups.journals.get(key(fiscalMonth.fiscalYearId, command.journalSymbol));
  if (!journal) {
    throw reject(
      EntryErrorCode.JOURNAL_NOT_FOUND,
      `journal_symbol: no journal "${command.journalSymbol}" in the fiscal year of ${command.entryDate}`,
      'journal_symbol',
      `no journal "${command.journalSymbol}" in the fiscal year of ${command.entryDate}`,
    );
  }

  return journal;
}

function resolveAccounts(command: EntryCommand, lookups: PostingLookups) {
  return command.lines.map((line, index) => {
    const account = lookups.accounts.get(key(command.ledgerId, line.accountCode));
    if (!account) {
      throw reject(
        EntryErrorCode.ACCOUNT_NOT_FOUND,
        `lines[${index}].account_code: no account "${line.accountCode}" in ledger ${command.ledgerId}`,
        `lines[${index}].account_code`,
        `no account "${line.accountCode}" in this ledger`,
      );
    }
    if (line.counterpartyId !== null && !lookups.counterparties.has(line.counterpartyId)) {
      throw reject(
        EntryErrorCode.COUNTERPARTY_NOT_FOUND,
        `lines[${index}].counterparty_id: no organization ${line.counterpartyId} for this tenant`,
        `lines[${index}].counterparty_id`,
        'no such organization for this tenant',
      );
    }

    return account;
  });
}

/** Balances after the entry, or a rejection naming the first account whose limit breaks. */
function checkLimits(
  lines: readonly EntryLineCommand[],
  accounts: readonly { id: string; balanceLimit: BalanceLimit | null }[],
  lookups: PostingLookups,
): Map<string, Money> {
  const after = new Map<string, Money>();
  lines.forEach((line, index) => {
    const account = accounts[index];
    if (account.balanceLimit === null) return;
    const k = key(account.id, line.amount.currency.code);
    const current = after.get(k) ?? lookups.balances.get(k) ?? Money.zero(line.amount.currency);
    after.set(k, current.plus(signedAmount(line)));
  });
  lines.forEach((line, index) => {
    const account = accounts[index];
    const balance = after.get(key(account.id, line.amount.currency.code));
    if (!balance || withinLimit(account.balanceLimit, balance)) return;
    const rule = account.balanceLimit === 'no_negative' ? 'below zero' : 'above zero';
    throw reject(
      EntryErrorCode.BALANCE_LIMIT_EXCEEDED,
      `lines[${index}]: account ${line.accountCode} would go ${rule}: its balance would be ` +
        `${balance.toString()} ${balance.currency.code} (limit ${account.balanceLimit})`,
      `lines[${index}].account_code`,
      `balance of ${line.accountCode} would be ${balance.toString()} ${balance.currency.code}`,
    );
  });

  return after;
}

function checkReversal(command: EntryCommand, lookups: PostingLookups, batch: Set<string>): void {
  const target = command.reversesEntryId;
  if (target === null || !(lookups.reversed.has(target) || batch.has(target))) return;
  throw reject(
    EntryErrorCode.ALREADY_REVERSED,
    `entry ${target} is already reversed; an entry is reversed at most once`,
    'entry_id',
    'already reversed',
  );
}

/**
 * Decides, in request order, what happens to each valid command of a batch: replay, rejection
 * (alone) or acceptance with its journal number and ledger sequence. Mutates the lookups'
 * counters and balances as entries are accepted, so later entries see earlier ones.
 */
export function planPosting(
  commands: readonly EntryCommand[],
  lookups: PostingLookups,
  newId: () => string,
): PlannedEntry[] {
  const batchKeys = new Map<string, { entryId: string; digest: Buffer }>();
  const batchReversed = new Set<string>();

  return commands.map((command): PlannedEntry => {
    const replay = idempotency(command, lookups, batchKeys);
    if (replay) return replay;
    const ledger = lookups.ledgers.get(command.ledgerId);
    if (!ledger) {
      return {
        kind: 'rejected',
        error: reject(
          EntryErrorCode.LEDGER_NOT_FOUND,
          `ledger_id: ledger ${command.ledgerId} not found`,
          'ledger_id',
          'no such ledger for this tenant',
        ),
      };
    }
    try {
      checkReversal(command, lookups, batchReversed);
      const journal = resolveJournal(command, lookups);
      const accounts = resolveAccounts(command, lookups);
      const balances = checkLimits(command.lines, accounts, lookups);
      for (const [k, balance] of balances) lookups.balances.set(k, balance);
      const entryId = newId();
      const number = journal.nextNumber;
      journal.nextNumber += 1n;
      ledger.lastSequence += 1n;
      batchKeys.set(key(command.ledgerId, command.idempotencyKey), {
        entryId,
        digest: command.digest,
      });
      if (command.reversesEntryId !== null) batchReversed.add(command.reversesEntryId);

      return {
        kind: 'accepted',
        entryId,
        command,
        journalId: journal.id,
        journalSymbol: journal.symbol,
        number,
        ledgerSequence: ledger.lastSequence,
        accountIds: accounts.map((account) => account.id),
      };
    } catch (error) {
      if (error instanceof EntryError) return { kind: 'rejected', error };
      if (error instanceof MoneyError) {
        // A running balance beyond the supported magnitude (10^28): refuse the entry alone.
        const message = `lines: the balance after this entry is out of range: ${error.message}`;
        const fieldViolations = [{ field: 'lines', description: error.message }];

        return {
          kind: 'rejected',
          error: new EntryError(EntryErrorCode.INVALID_ENTRY, message, { fieldViolations }),
        };
      }
      throw error;
    }
  });
}
