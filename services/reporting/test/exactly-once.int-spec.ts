import { randomUUID } from 'node:crypto';
import { create } from '@bufbuild/protobuf';
import { EntryPostedSchema, type EntryPosted } from '@kontor/contracts/events/v1/entry_events_pb';
import { EntrySide, TransactionType } from '@kontor/contracts/ledger/v1/entry_service_pb';
import { type MikroORM } from '@mikro-orm/postgresql';
import { query } from '../src/database/sql';
import { ProfitSharingService } from '../src/profit-sharing/profit-sharing.service';
import { type SettlementRecord } from '../src/profit-sharing/transport/settlement-record.mapper';
import { type ReadModelService } from '../src/read-model/read-model.service';
import { openReadModelDb, receivableAccount, type ReadModelDb } from './support/read-model-db';

const TENANT = randomUUID();

// The read model's own guarantee under the inbox: an entry applied twice (a redelivery with a new
// event id, a rebuild overlapping the live consumer) counts once, and the open items do not
// depend on whether the chart or the entries arrived first.
describe('read model writes are exactly once per line and order-independent', () => {
  let db: ReadModelDb;
  let orm: MikroORM;
  let readModel: ReadModelService;

  beforeAll(async () => {
    db = await openReadModelDb();
    ({ orm, readModel } = db);
  });
  afterAll(() => db?.close());

  const receivable = (ledgerId: string) => receivableAccount(TENANT, ledgerId);

  function entries(ledgerId: string, customer: string): EntryPosted[] {
    const entry = (
      sequence: number,
      type: TransactionType,
      date: string,
      amount: string,
      customerDebit: boolean,
    ) =>
      create(EntryPostedSchema, {
        tenantId: TENANT,
        ledgerSequence: BigInt(sequence),
        entry: {
          id: randomUUID(),
          ledgerId,
          journalSymbol: 'GENERAL',
          number: BigInt(sequence),
          entryDate: date,
          dueDate: type === TransactionType.INVOICE ? date : '',
          transactionType: type,
          lines: [
            {
              accountCode: '1200',
              side: customerDebit ? EntrySide.DEBIT : EntrySide.CREDIT,
              amount: { amount, currency: 'EUR' },
              counterpartyId: customer,
            },
            {
              accountCode: customerDebit ? '4000' : '1100',
              side: customerDebit ? EntrySide.CREDIT : EntrySide.DEBIT,
              amount: { amount, currency: 'EUR' },
            },
          ],
        },
      });

    return [
      entry(1, TransactionType.INVOICE, '2026-01-05', '100.00', true),
      entry(2, TransactionType.INVOICE, '2026-02-05', '60.00', true),
      entry(3, TransactionType.PAYMENT, '2026-02-10', '120.00', false),
      entry(4, TransactionType.INVOICE, '2026-01-20', '15.50', true), // back-dated
    ];
  }

  async function state(ledgerId: string) {
    const em = orm.em.fork();
    const [lines] = await query<{ n: string }>(
      em,
      `SELECT count(*)::text AS n FROM rm_lines WHERE ledger_id = ?`,
      [ledgerId],
    );
    const days = await query(
      em,
      `SELECT account_code, day::text, debit::text, credit::text FROM rm_account_days
       WHERE ledger_id = ? ORDER BY account_code, day`,
      [ledgerId],
    );
    const invoices = await query(
      em,
      `SELECT entry_date::text, amount::text, cum::text FROM rm_invoices WHERE ledger_id = ?
       ORDER BY entry_date`,
      [ledgerId],
    );
    const pools = await query(
      em,
      `SELECT pool::text, invoiced::text, last_date::text FROM rm_receivable_pools
       WHERE ledger_id = ?`,
      [ledgerId],
    );
    const [mark] = await query<{ s: string }>(
      em,
      `SELECT current_sequence::text AS s FROM rm_ledger_watermarks WHERE ledger_id = ?`,
      [ledgerId],
    );

    return { lines: lines.n, days, invoices, pools, sequence: mark?.s };
  }

  it('applies a redelivered entry and a duplicate within one group once', async () => {
    const ledgerId = randomUUID();
    const customer = randomUUID();
    const events = entries(ledgerId, customer);
    await orm.em.fork().transactional((em) => readModel.applyAccounts(em, [receivable(ledgerId)]));
    const first = await orm.em
      .fork()
      .transactional((em) => readModel.applyEntries(em, [...events, events[0]]));
    expect(first).toBe(8);
    const once = await state(ledgerId);
    const again = await orm.em.fork().transactional((em) => readModel.applyEntries(em, events));
    expect(again).toBe(0);
    expect(await state(ledgerId)).toEqual(once);
    expect(once).toMatchObject({
      lines: '8',
      sequence: '4',
      // Oldest first: 100 (Jan 5), 15.50 (Jan 20, back-dated), 60 (Feb 5); 120 paid covers the
      // first two and 4.50 of the third.
      invoices: [
        { entry_date: '2026-01-05', amount: '100.00', cum: '100.00' },
        { entry_date: '2026-01-20', amount: '15.50', cum: '115.50' },
        { entry_date: '2026-02-05', amount: '60.00', cum: '175.50' },
      ],
      pools: [{ pool: '120.00', invoiced: '175.50', last_date: '2026-02-10' }],
    });
  });

  it('derives the same open items when the receivable account arrives after its lines', async () => {
    const [inOrder, late] = [randomUUID(), randomUUID()];
    const customer = randomUUID();
    await orm.em.fork().transactional(async (em) => {
      await readModel.applyAccounts(em, [receivable(inOrder)]);
      await readModel.applyEntries(em, entries(inOrder, customer));
    });
    await orm.em.fork().transactional((em) => readModel.applyEntries(em, entries(late, customer)));
    expect((await state(late)).invoices).toEqual([]);
    await orm.em.fork().transactional((em) => readModel.applyAccounts(em, [receivable(late)]));
    const [expected, actual] = [await state(inOrder), await state(late)];
    expect(actual.invoices).toEqual(expected.invoices);
    expect(actual.pools).toEqual(expected.pools);
  });

  it('stores a redelivered settlement and a duplicate within one group once, shares too', async () => {
    const profitSharing = new ProfitSharingService(orm, readModel);
    const settlement: SettlementRecord = {
      tenant_id: TENANT,
      settlement_id: randomUUID(),
      deal_id: randomUUID(),
      deal_name: 'Reseller',
      payer_organization_id: randomUUID(),
      period_start: '2026-03-01',
      period_end: '2026-03-31',
      period_label: '2026-03',
      currency: 'EUR',
      total: '-300.00',
      finalize_time: '2026-04-01T09:00:00.000Z',
      shares: [
        { share_no: 0, organization_id: randomUUID(), role: 'partner', amount: '-180.00' },
        { share_no: 1, organization_id: randomUUID(), role: 'vendor', amount: '-120.00' },
      ],
    };
    const first = await orm.em
      .fork()
      .transactional((em) => profitSharing.applySettlements(em, [settlement, settlement]));
    const again = await orm.em
      .fork()
      .transactional((em) => profitSharing.applySettlements(em, [settlement]));
    const [stored] = await query<{ settlements: string; shares: string; sum: string }>(
      orm.em.fork(),
      `SELECT (SELECT count(*) FROM rm_settlements WHERE settlement_id = ?)::text AS settlements,
         (SELECT count(*) FROM rm_settlement_shares WHERE settlement_id = ?)::text AS shares,
         (SELECT sum(amount) FROM rm_settlement_shares WHERE settlement_id = ?)::text AS sum`,
      [settlement.settlement_id, settlement.settlement_id, settlement.settlement_id],
    );

    expect([first, again]).toEqual([1, 0]);
    expect(stored).toEqual({ settlements: '1', shares: '2', sum: '-300.00' });
  });
});
