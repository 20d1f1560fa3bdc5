import { randomUUID } from 'node:crypto';
import { create } from '@bufbuild/protobuf';
import { EntryPostedSchema, type EntryPosted } from '@kontor/contracts/events/v1/entry_events_pb';
import { EntrySide, TransactionType } from '@kontor/contracts/ledger/v1/entry_service_pb';
import { ReportsService, type Scope } from '../src/reports/reports.service';
import { openReadModelDb, type ReadModelDb } from './support/read-model-db';

// Journal exports (IIF, QuickBooks Online CSV) read the lines in chunks, one query each. An entry
// posted while a long export streams must not land in the file after the export started: every
// chunk is bounded by the watermark the export's scope was resolved at.

const TENANT = randomUUID();

function entry(ledgerId: string, sequence: number): EntryPosted {
  const amount = { amount: `${sequence}.00`, currency: 'EUR' };

  return create(EntryPostedSchema, {
    tenantId: TENANT,
    ledgerSequence: BigInt(sequence),
    entry: {
      id: randomUUID(),
      ledgerId,
      journalSymbol: 'BANK',
      number: BigInt(sequence),
      entryDate: '2026-03-01',
      transactionType: TransactionType.PAYMENT,
      lines: [
        { accountCode: '1100', side: EntrySide.DEBIT, amount },
        { accountCode: '4000', side: EntrySide.CREDIT, amount },
      ],
    },
  });
}

describe('journal lines for exports', () => {
  let db: ReadModelDb;

  beforeAll(async () => {
    db = await openReadModelDb();
  });
  afterAll(() => db?.close());

  it('leave out entries past the scope watermark, across every chunk', async () => {
    const ledgerId = randomUUID();
    const posted = [1, 2, 3, 4, 5].map((sequence) => entry(ledgerId, sequence));
    await db.orm.em.fork().transactional((em) => db.readModel.applyEntries(em, posted));
    const reports = new ReportsService(db.orm, db.readModel);
    // As if the export resolved its scope after entry 3, and 4 and 5 arrived while it streamed.
    const scope: Scope = {
      tenantId: TENANT,
      ledgerId,
      version: 1,
      currentSequence: 3n,
      baseCurrency: 'EUR',
      em: db.orm.em.fork(),
    };

    const numbers: string[] = [];
    // Chunks of one line: every chunk is its own query.
    for await (const chunk of reports.journalLines(
      scope,
      { currency: 'EUR', fromDate: '', toDate: '' },
      1,
    )) {
      numbers.push(
        ...chunk.map((line) => `${line.journalSymbol}-${line.number}/${line.amount.toString()}`),
      );
    }

    expect(numbers).toEqual([
      'BANK-1/1.00',
      'BANK-1/1.00',
      'BANK-2/2.00',
      'BANK-2/2.00',
      'BANK-3/3.00',
      'BANK-3/3.00',
    ]);
  });
});
