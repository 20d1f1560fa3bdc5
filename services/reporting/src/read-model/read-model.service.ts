import { Injectable } from '@nestjs/common';
import { type EntityManager, MikroORM } from '@mikro-orm/postgresql';
import { type EntryPosted } from '@kontor/contracts/events/v1/entry_events_pb';
import {
  type AccountCreated,
  type OrganizationCreated,
} from '@kontor/contracts/events/v1/ledger_events_pb';
import { AccountRole, AccountType } from '@kontor/contracts/ledger/v1/account_service_pb';
import { OrganizationKind } from '@kontor/contracts/ledger/v1/organization_service_pb';
import { json, query } from '../database/sql';
import { ReportError, ReportErrorCode } from '../reports/domain/report.errors';
import { CLEAR_RECEIVABLES, DERIVE_RECEIVABLES } from './persistence/receivables.sql';
import { applyReceivables, type ReceivableMove } from './receivables';
import { lineRows } from './transport/entry-lines.mapper';
import {
  ACTIVE_VERSION,
  APPLY_ACCOUNTS,
  APPLY_LINES,
  APPLY_ORGANIZATIONS,
  LINE_COLUMNS,
  WRITABLE_VERSIONS,
} from './persistence/projection.sql';

/** Longest a report waits for its min_sequence, whatever the call's deadline. */
export const WAIT_MAX_MS = 10_000;

const enumName = (names: Record<number, string>, value: number): string =>
  (names[value] ?? 'UNSPECIFIED').toLowerCase();

/**
 * Applies the ledger's events to the read models (inside the consumer's inbox transaction) and
 * tells reports which model version to read and how current it is.
 */
@Injectable()
export class ReadModelService {
  constructor(private readonly orm: MikroORM) {}

  /**
   * Applies posted entries in one statement (lines, turnovers, watermarks) plus, when they move
   * customers' receivables, the open-item writes. `versions` defaults to every writable version
   * (the active one and one being rebuilt); the rebuild passes its own. Returns the lines inserted.
   */
  async applyEntries(
    em: EntityManager,
    events: readonly EntryPosted[],
    versions?: readonly number[],
  ): Promise<number> {
    const lines = events.flatMap(lineRows);
    if (lines.length === 0) return 0;
    await lockLedgerReceivables(
      em,
      lines.map((line) => line.ledger_id),
    );
    const [result] = await query<{ inserted: number; moves: ReceivableMove[] }>(em, APPLY_LINES, [
      versions ?? null,
      ...LINE_COLUMNS.map(([name]) => lines.map((line) => line[name])),
    ]);
    await applyReceivables(em, result.moves);

    return result.inserted;
  }

  async applyAccounts(
    em: EntityManager,
    events: readonly AccountCreated[],
    versions?: readonly number[],
  ): Promise<void> {
    const accounts = events.flatMap((event) =>
      event.account
        ? [
            {
              tenant_id: event.tenantId,
              ledger_id: event.account.ledgerId,
              code: event.account.code,
              name: event.account.name,
              type: enumName(AccountType, event.account.type),
              role:
                event.account.role === AccountRole.UNSPECIFIED
                  ? null
                  : enumName(AccountRole, event.account.role),
            },
          ]
        : [],
    );
    if (accounts.length === 0) return;
    const receivables = accounts.filter((a) => a.role === 'receivable');
    await lockLedgerReceivables(
      em,
      receivables.map((account) => account.ledger_id),
    );
    const targets = versions ?? (await this.writableVersions(em));
    await query(em, APPLY_ACCOUNTS, [json(targets), json(accounts)]);
    // Lines that arrived before their receivable account was known join the open items now.
    for (const account of receivables) {
      for (const version of targets) {
        const [{ known }] = await query<{ known: boolean }>(
          em,
          `SELECT EXISTS (SELECT 1 FROM rm_lines WHERE version = ? AND ledger_id = ?
             AND account_code = ?) AS known`,
          [version, account.ledger_id, account.code],
        );
        if (known) await deriveReceivables(em, version, account.ledger_id);
      }
    }
  }

  async applyOrganizations(
    em: EntityManager,
    events: readonly OrganizationCreated[],
    versions?: readonly number[],
  ): Promise<void> {
    const organizations = events.flatMap((event) =>
      event.organization
        ? [
            {
              tenant_id: event.tenantId,
              id: event.organization.id,
              external_id: event.organization.externalId,
              kind: enumName(OrganizationKind, event.organization.kind),
              name: event.organization.name,
            },
          ]
        : [],
    );
    if (organizations.length === 0) return;
    await query(em, APPLY_ORGANIZATIONS, [
      json(versions ?? (await this.writableVersions(em))),
      json(organizations),
    ]);
  }

  async writableVersions(em: EntityManager): Promise<number[]> {
    return (await query<{ version: number }>(em, WRITABLE_VERSIONS)).map((row) => row.version);
  }

  async activeVersion(em: EntityManager = this.orm.em.fork()): Promise<number> {
    const [row] = await query<{ version: number }>(em, ACTIVE_VERSION);

    return row.version;
  }

  /** Entries 1..n of the ledger that the active version includes. */
  async currentSequence(em: EntityManager, version: number, ledgerId: string): Promise<bigint> {
    const [row] = await query<{ current_sequence: string }>(
      em,
      `SELECT current_sequence::text FROM rm_ledger_watermarks WHERE version = ? AND ledger_id = ?`,
      [version, ledgerId],
    );

    return row ? BigInt(row.current_sequence) : 0n;
  }

  /** Current sequences of some ledgers in the active version (0 for a ledger without entries). */
  async currentSequences(ledgerIds: readonly string[]): Promise<Map<string, bigint>> {
    const em = this.orm.em.fork();
    const rows = await query<{ ledger_id: string; current_sequence: string }>(
      em,
      `SELECT ledger_id, current_sequence::text FROM rm_ledger_watermarks
       WHERE version = ? AND ledger_id IN (SELECT value::uuid FROM json_array_elements_text(?::json))`,
      [await this.activeVersion(em), json(ledgerIds)],
    );

    return new Map(rows.map((row) => [row.ledger_id, BigInt(row.current_sequence)]));
  }

  /**
   * Waits (polling with backoff) until the ledger's entry `minSequence` is in the active model;
   * gives up after `waitMs` with NOT_CURRENT_YET naming the sequence reached.
   */
  async waitForSequence(ledgerId: string, minSequence: bigint, waitMs: number): Promise<void> {
    const em = this.orm.em.fork();
    const giveUpAt = Date.now() + Math.min(waitMs, WAIT_MAX_MS);
    let delay = 5;
    for (;;) {
      const current = await this.currentSequence(em, await this.activeVersion(em), ledgerId);
      if (current >= minSequence) return;
      if (Date.now() + delay > giveUpAt) {
        throw new ReportError(
          ReportErrorCode.NOT_CURRENT_YET,
          `the reports of ledger ${ledgerId} include entries up to ${current}, not yet ` +
            `${minSequence}; retry shortly`,
          {
            fieldViolations: [
              { field: 'scope.min_sequence', description: `reached ${current} so far` },
            ],
          },
        );
      }
      await new Promise((resolve) => setTimeout(resolve, delay));
      delay = Math.min(delay * 2, 200);
    }
  }
}

/** Rebuilds a ledger's open-item model from its lines (see DERIVE_RECEIVABLES). */
// Advisory lock namespace of a ledger's receivables (the second key is the ledger id's hash).
const RECEIVABLES_LOCK = 7_301;

/**
 * A ledger's entries and its receivable account arrive on different topics and are applied by
 * different transactions. Each would miss the other's uncommitted rows (lines without their
 * account's open items, or an account that finds no lines to derive them from), so both hold this
 * per-ledger lock, taken in ledger order, until they commit: the later one sees the earlier.
 */
async function lockLedgerReceivables(em: EntityManager, ledgerIds: string[]): Promise<void> {
  const ledgers = [...new Set(ledgerIds)].sort();
  if (ledgers.length === 0) return;
  await query(
    em,
    `SELECT pg_advisory_xact_lock(?, hashtext(id))
     FROM unnest(?::text[]) WITH ORDINALITY AS t(id, n) ORDER BY n`,
    [RECEIVABLES_LOCK, ledgers],
  );
}

export async function deriveReceivables(
  em: EntityManager,
  version: number,
  ledgerId: string,
): Promise<void> {
  for (const statement of [...CLEAR_RECEIVABLES, ...DERIVE_RECEIVABLES]) {
    await query(em, statement, [version, ledgerId]);
  }
}
