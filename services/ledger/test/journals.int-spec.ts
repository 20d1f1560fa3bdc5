import { randomUUID } from 'node:crypto';
import { LedgerService } from '@kontor/contracts/ledger/v1/ledger_service_pb';
import { PeriodService } from '@kontor/contracts/ledger/v1/period_service_pb';
import { GrpcStatus } from '@kontor/grpc';
import { startLedgerHarness, type LedgerHarness, type TestTenant } from './support/ledger-harness';

const UNKNOWN_ID = '00000000-0000-4000-8000-000000000000';

describe('journals', () => {
  let harness: LedgerHarness;
  let tenant: TestTenant;

  beforeAll(async () => {
    harness = await startLedgerHarness();
    tenant = await harness.newTenant();
  });
  afterAll(() => harness?.stop());

  const periods = () => harness.client(PeriodService, tenant.token);

  /** A fresh ledger with fiscal year 2026 holding CASH (Cash operations). */
  async function fiscalYear2026(token = tenant.token) {
    const { ledger } = await harness.client(LedgerService, token).createLedger({
      requestId: randomUUID(),
      name: 'Journals book',
      baseCurrency: 'EUR',
    });
    const { fiscalYear, journals } = await harness.client(PeriodService, token).createFiscalYear({
      ledgerId: ledger!.id,
      name: '2026',
      startMonth: '2026-01',
      journals: [{ symbol: 'CASH', name: 'Cash operations' }],
    });

    return { ledgerId: ledger!.id, fiscalYearId: fiscalYear!.id, cash: journals[0] };
  }

  it('creates journals with a fiscal year and one by one, numbered from 1, listed by symbol', async () => {
    const { fiscalYearId, cash } = await fiscalYear2026();
    expect(cash).toMatchObject({
      fiscalYearId,
      symbol: 'CASH',
      name: 'Cash operations',
      nextEntryNumber: 1n,
    });
    const { journal } = await periods().createJournal({
      fiscalYearId,
      symbol: 'BANK',
      name: 'Bank operations',
    });
    expect(journal).toMatchObject({
      fiscalYearId,
      symbol: 'BANK',
      name: 'Bank operations',
      nextEntryNumber: 1n,
    });
    await periods().createJournal({ fiscalYearId, symbol: 'note', name: 'Accounting notes' });
    const { journals } = await periods().listJournals({ fiscalYearId });
    expect(journals.map((j) => j.symbol)).toEqual(['BANK', 'CASH', 'note']);
  });

  it('names a journal created with a fiscal year after its symbol when no name is given', async () => {
    const { ledger } = await harness.client(LedgerService, tenant.token).createLedger({
      requestId: randomUUID(),
      name: 'Default names',
      baseCurrency: 'EUR',
    });
    const { journals } = await periods().createFiscalYear({
      ledgerId: ledger!.id,
      name: '2026',
      startMonth: '2026-01',
      journals: [{ symbol: 'SALES' }, { symbol: 'NOTE', name: 'Notes' }],
    });
    expect(journals.map((j) => [j.symbol, j.name])).toEqual([
      ['SALES', 'SALES'],
      ['NOTE', 'Notes'],
    ]);
  });

  it('rejects a symbol that differs only in case with ALREADY_EXISTS naming the clash', async () => {
    const { fiscalYearId } = await fiscalYear2026();
    await expect(
      periods().createJournal({ fiscalYearId, symbol: 'cash', name: 'Petty cash' }),
    ).rejects.toMatchObject({
      code: GrpcStatus.ALREADY_EXISTS,
      message:
        'journal symbol "cash" is already used by journal "CASH" (Cash operations) in fiscal year 2026',
      fieldViolations: [{ field: 'symbol' }],
    });
  });

  it('rejects a name that differs only in case with ALREADY_EXISTS naming the clash', async () => {
    const { fiscalYearId } = await fiscalYear2026();
    await expect(
      periods().createJournal({ fiscalYearId, symbol: 'KASSE', name: 'CASH OPERATIONS' }),
    ).rejects.toMatchObject({
      code: GrpcStatus.ALREADY_EXISTS,
      message:
        'journal name "CASH OPERATIONS" is already used by journal "CASH" (Cash operations) in fiscal year 2026',
      fieldViolations: [{ field: 'name' }],
    });
  });

  it('allows the same symbol and name in another fiscal year of the same ledger', async () => {
    const { ledgerId } = await fiscalYear2026();
    const { journals } = await periods().createFiscalYear({
      ledgerId,
      name: '2027',
      startMonth: '2027-01',
      journals: [{ symbol: 'cash', name: 'Cash operations' }],
    });
    expect(journals[0]).toMatchObject({ symbol: 'cash', name: 'Cash operations' });
  });

  it('rejects journals of one CreateFiscalYear that clash with each other, creating nothing', async () => {
    const { ledger } = await harness.client(LedgerService, tenant.token).createLedger({
      requestId: randomUUID(),
      name: 'Clashing specs',
      baseCurrency: 'EUR',
    });
    await expect(
      periods().createFiscalYear({
        ledgerId: ledger!.id,
        name: '2026',
        startMonth: '2026-01',
        journals: [{ symbol: 'BANK' }, { symbol: 'bank', name: 'Second bank' }],
      }),
    ).rejects.toMatchObject({
      code: GrpcStatus.INVALID_ARGUMENT,
      fieldViolations: [{ field: 'journals[1].symbol' }],
    });
    expect((await periods().listFiscalYears({ ledgerId: ledger!.id })).fiscalYears).toEqual([]);
  });

  it.each([
    ['an empty symbol', { symbol: '', name: 'n' }, 'symbol'],
    ['a symbol with a space', { symbol: 'CASH 2', name: 'n' }, 'symbol'],
    ['a non-ASCII symbol', { symbol: 'KASSÉ', name: 'n' }, 'symbol'],
    ['a 51-character symbol', { symbol: 'S'.repeat(51), name: 'n' }, 'symbol'],
    ['a 10 KB symbol', { symbol: 'S'.repeat(10_240), name: 'n' }, 'symbol'],
    ['an empty name', { symbol: 'S1', name: '' }, 'name'],
    ['a 51-character name', { symbol: 'S2', name: 'ü'.repeat(51) }, 'name'],
    ['a 10 KB name', { symbol: 'S3', name: 'n'.repeat(10_240) }, 'name'],
  ])('rejects %s with INVALID_ARGUMENT naming the field', async (_, input, field) => {
    const { fiscalYearId } = await fiscalYear2026();
    const error = await periods()
      .createJournal({ fiscalYearId, ...input })
      .catch((e: unknown) => e);
    expect(error).toMatchObject({
      code: GrpcStatus.INVALID_ARGUMENT,
      fieldViolations: [{ field }],
    });
    expect((error as Error).message.length).toBeLessThan(300);
  });

  it('accepts a unicode name of 50 characters', async () => {
    const { fiscalYearId } = await fiscalYear2026();
    const name = 'Kassenbuch für Barverkäufe – Filiale Köln-Süd €€€€';
    expect([...name]).toHaveLength(50);
    const { journal } = await periods().createJournal({ fiscalYearId, symbol: 'KOELN', name });
    expect(journal!.name).toBe(name);
    // 50 emoji are 100 UTF-16 units but 50 characters.
    const { journal: emoji } = await periods().createJournal({
      fiscalYearId,
      symbol: 'EMOJI',
      name: '\u{1F4B0}'.repeat(50),
    });
    expect([...emoji!.name]).toHaveLength(50);
  });

  it('lets exactly one of two concurrent journals with the same symbol win', async () => {
    const { fiscalYearId } = await fiscalYear2026();
    const results = await Promise.allSettled([
      periods().createJournal({ fiscalYearId, symbol: 'RACE', name: 'Race one' }),
      periods().createJournal({ fiscalYearId, symbol: 'race', name: 'Race two' }),
    ]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    expect(results.find((r) => r.status === 'rejected')).toMatchObject({
      reason: { code: GrpcStatus.ALREADY_EXISTS },
    });
  });

  it("answers NOT_FOUND for an unknown fiscal year and another tenant's, INVALID_ARGUMENT for a bad id", async () => {
    const other = await harness.newTenant();
    const theirs = await fiscalYear2026(other.token);
    for (const fiscalYearId of [UNKNOWN_ID, theirs.fiscalYearId]) {
      await expect(
        periods().createJournal({ fiscalYearId, symbol: 'X', name: 'X' }),
      ).rejects.toMatchObject({
        code: GrpcStatus.NOT_FOUND,
        fieldViolations: [{ field: 'fiscal_year_id' }],
      });
      await expect(periods().listJournals({ fiscalYearId })).rejects.toMatchObject({
        code: GrpcStatus.NOT_FOUND,
      });
    }
    await expect(periods().listJournals({ fiscalYearId: 'nope' })).rejects.toMatchObject({
      code: GrpcStatus.INVALID_ARGUMENT,
      fieldViolations: [{ field: 'fiscal_year_id' }],
    });
  });
});
