import { TransactionType } from '@kontor/contracts/ledger/v1/entry_service_pb';
import { EntryService } from '@kontor/contracts/ledger/v1/entry_service_pb';
import {
  IncomeBreakdown,
  ReportingService,
} from '@kontor/contracts/reporting/v1/reporting_service_pb';
import { postAll, randomEntries, setUpBook, type TestBook } from './support/books';
import { eventually } from '@kontor/testing';
import { runRebuild } from './support/rebuild';
import {
  startReportingPlatform,
  type ReportingPlatform,
  type TestTenant,
} from './support/reporting-platform';

describe('rebuild: the read models rebuilt from the topics equal the live ones', () => {
  let platform: ReportingPlatform;
  let tenant: TestTenant;
  let book: TestBook;

  const reporting = () => platform.client('reporting', ReportingService, tenant.token);
  const scope = () => ({ ledgerId: book.ledgerId, minSequence: BigInt(book.posted) });

  /** Every report of the book, as the rpcs answer them. */
  async function snapshot() {
    const customer = book.customers[1].id;

    return {
      trialBalance: await reporting().getTrialBalance({ scope: scope(), fromDate: '2026-02-01' }),
      turnovers: await reporting().getTurnovers({
        scope: scope(),
        fromMonth: '2026-01',
        toMonth: '2026-12',
      }),
      statement: await reporting().getAccountStatement({
        scope: scope(),
        accountCode: '1100',
        currency: 'EUR',
        pageSize: 1000,
      }),
      customer: await reporting().getCustomerStatement({
        scope: scope(),
        customerId: customer,
        currency: 'EUR',
        showAll: true,
        pageSize: 1000,
      }),
      ledger: await reporting().listGeneralLedger({
        scope: scope(),
        currency: 'EUR',
        showAll: true,
        pageSize: 1000,
      }),
      aging: await reporting().getReceivablesAging({ scope: scope(), asOfDate: '2026-09-30' }),
      income: await reporting().getIncomeStatement({
        scope: scope(),
        fromDate: '2026-01-01',
        toDate: '2026-12-31',
        breakdown: IncomeBreakdown.COUNTERPARTY,
      }),
      balanceSheet: await reporting().getBalanceSheet({ scope: scope() }),
    };
  }

  beforeAll(async () => {
    platform = await startReportingPlatform();
    tenant = await platform.newTenant();
    book = await setUpBook(platform, tenant, { year: 2026, currency: 'EUR', customers: 3 });
    const entries = randomEntries(book, { seed: 42, count: 150, currency: 'EUR' });
    const ids = await postAll(platform, tenant, book, entries);
    const invoice = entries.findIndex((entry) => entry.type === TransactionType.INVOICE);
    await platform.client('ledger', EntryService, tenant.token).reverseEntry({
      ledgerId: book.ledgerId,
      entryId: ids[invoice],
      idempotencyKey: 'reverse-one',
      entryDate: '2026-12-01',
    });
    book.posted++;
    await eventually(async () => {
      const { rows } = await reporting().getTrialBalance({ scope: scope() });
      return rows.every((row) => row.accountName !== '') || undefined;
    });
  }, 180_000);
  afterAll(() => platform?.stop());

  it('stores every posted line exactly once', async () => {
    const [{ lines }] = await platform.query<{ lines: string }>(
      `SELECT count(*)::text AS lines FROM reporting.rm_lines
       WHERE ledger_id = $1 AND version = (SELECT version FROM reporting.model_versions WHERE state = 'active')`,
      [book.ledgerId],
    );
    const [{ posted }] = await platform.query<{ posted: string }>(
      `SELECT count(*)::text AS posted FROM ledger.entry_lines WHERE ledger_id = $1`,
      [book.ledgerId],
    );
    expect(lines).toBe(posted);
  });

  it('rebuilds into a new version, swaps it in, and every report is identical to the live one', async () => {
    const live = await snapshot();
    const before = await platform.query<{ version: number; state: string }>(
      `SELECT version, state FROM reporting.model_versions ORDER BY version`,
    );
    const { code, output } = await runRebuild(platform.database);
    expect({ code, output: code === 0 ? '' : output }).toEqual({ code: 0, output: '' });
    const after = await platform.query<{ version: number; state: string }>(
      `SELECT version, state FROM reporting.model_versions ORDER BY version`,
    );
    const previous = before.find((row) => row.state === 'active')!.version;
    expect(after.filter((row) => row.state === 'active')).toEqual([
      { version: previous + 1, state: 'active' },
    ]);
    const [{ stale }] = await platform.query<{ stale: string }>(
      `SELECT count(*)::text AS stale FROM reporting.rm_lines WHERE version = $1`,
      [previous],
    );
    expect(stale).toBe('0');
    expect(await snapshot()).toEqual(live);
  });

  it('keeps applying new entries to the rebuilt version', async () => {
    await postAll(
      platform,
      tenant,
      book,
      randomEntries(book, { seed: 43, count: 10, currency: 'EUR' }),
    );
    const { freshness, rows } = await reporting().getTrialBalance({ scope: scope() });
    expect(freshness?.currentSequence).toBe(BigInt(book.posted));
    expect(rows.length).toBeGreaterThan(0);
  });

  it('a rebuild whose version a newer rebuild retired swaps nothing in and says so', async () => {
    const live = await snapshot();
    const activeVersion = async () =>
      (
        await platform.query<{ version: number }>(
          `SELECT version FROM reporting.model_versions WHERE state = 'active'`,
        )
      )[0].version;
    const activeBefore = await activeVersion();
    const run = runRebuild(platform.database);
    // What a second rebuild does on start: retire the version being built.
    // Between registering its version and swapping it in, a rebuild of this small book takes
    // little time: poll every 10 ms.
    const building = await eventually(
      async () => {
        const [row] = await platform.query<{ version: number }>(
          `UPDATE reporting.model_versions SET state = 'retired' WHERE state = 'building'
         RETURNING version`,
        );
        return row?.version;
      },
      30_000,
      10,
    );
    const { code, output } = await run;

    expect(code).toBe(75);
    expect(output).toContain(`rebuild of read-model version ${building} was superseded`);
    expect(await activeVersion()).toBe(activeBefore);
    const [{ leftover }] = await platform.query<{ leftover: string }>(
      `SELECT count(*)::text AS leftover FROM reporting.rm_lines WHERE version = $1`,
      [building],
    );
    expect(leftover).toBe('0');
    expect(await snapshot()).toEqual(live);
  });
});
