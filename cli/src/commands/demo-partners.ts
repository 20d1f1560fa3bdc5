import { randomUUID } from 'node:crypto';
import { ErrorPolicy } from '@kontor/contracts/imports/v1/import_profile_pb';
import { ImportService, JobState } from '@kontor/contracts/imports/v1/import_service_pb';
import {
  BasisKind,
  DealService,
  NegativePeriodHandling,
  PartyRole,
  SettlementFrequency,
} from '@kontor/contracts/deals/v1/deal_service_pb';
import { TransactionType } from '@kontor/contracts/ledger/v1/entry_service_pb';
import { GrpcCallError } from '@kontor/grpc/client';
import { type Connection } from '../connection/connection';
import { CliError, ExitCode } from '../exit-codes';

// The demo's partner side: the supplier's shipping statement arrives as a CSV through the import
// service, and a deal gives the supplier a share of the vendor's revenue.

export interface PartnerWorld {
  tenantId: string;
  knitsLedgerId: string;
  knitsId: string;
  parcelId: string;
}

const POLL_MS = 300;

/** Polls `probe` until it returns a value; the services apply events asynchronously. */
export async function poll<T>(
  what: string,
  probe: () => Promise<T | undefined>,
  timeoutMs = 60_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) {
      throw new CliError(ExitCode.failed, `${what} did not happen within ${timeoutMs / 1000} s`);
    }
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
}

/** Parcel Partners' statement as their system exports it: semicolons, decimal commas. */
function shippingStatement(): string {
  const month = new Date().toISOString().slice(0, 7);
  const [year, mm] = month.split('-');
  return [
    'Datum;Sendung;Betrag;Text',
    `01.${mm}.${year};SH-1001;-12,50;Versand Pullover`,
    `02.${mm}.${year};SH-1002;-8,90;Versand Schal`,
    `03.${mm}.${year};SH-1003;-1.021,40;"Palettenversand; Lager Nord"`,
    '',
  ].join('\r\n');
}

/** Imports the statement into Nordic Knits' ledger as costs owed to the supplier. */
export async function importPartnerStatement(demo: Connection, world: PartnerWorld) {
  const imports = demo.tenant(ImportService);
  const { profile } = await imports.createProfile({
    requestId: `demo-profile-${world.tenantId}`,
    name: 'Parcel Partners shipping statement',
    definition: {
      file: { delimiter: ';', hasHeader: true },
      values: { decimalSeparator: ',', thousandsSeparator: '.', dateFormats: ['DD.MM.YYYY'] },
      date: { column: 'Datum' },
      amount: { amount: { column: 'Betrag' } },
      fixedCurrency: 'EUR',
      ledgerId: world.knitsLedgerId,
      journalSymbol: 'GENERAL',
      account: { accountCode: '5000' },
      contraAccountCode: '2000',
      reference: { column: 'Sendung' },
      description: { column: 'Text' },
      uniqueColumns: [{ column: 'Sendung' }],
      transactionType: TransactionType.COST,
    },
  });
  const { job } = await imports.createJob({
    requestId: randomUUID(),
    profileId: profile?.id ?? '',
    fileName: 'parcel-partners-statement.csv',
  });
  const jobId = job?.id ?? '';
  await imports.uploadFile([{ jobId, chunk: Buffer.from(shippingStatement(), 'utf8') }]);
  await imports.validateJob({ jobId });
  await imports.commitJob({ jobId, policy: ErrorPolicy.REJECT_FILE });
  const done = await poll('the import of the partner statement', async () => {
    const report = await imports.getJobReport({ jobId });
    const state = report.job?.state;
    return state === JobState.COMPLETED || state === JobState.REJECTED || state === JobState.FAILED
      ? report.job
      : undefined;
  });
  if (done?.state !== JobState.COMPLETED) {
    throw new CliError(
      ExitCode.failed,
      `the partner statement import ended ${done?.failure ?? 'badly'}`,
    );
  }
  return done;
}

/** Parcel Partners get 5 % of Nordic Knits' gross revenue, settled monthly. */
export async function agreeSupplierDeal(demo: Connection, world: PartnerWorld): Promise<string> {
  const deals = demo.tenant(DealService);
  const year = new Date().getUTCFullYear();
  // The deals service learns of new organizations through Kafka: retry while it does not yet.
  const created = await poll('the deals service learning of the demo organizations', async () => {
    try {
      return await deals.createDeal({
        requestId: `demo-deal-${world.tenantId}`,
        name: 'Parcel Partners revenue share',
        payerOrganizationId: world.knitsId,
        currency: 'EUR',
        frequency: SettlementFrequency.MONTHLY,
        effectiveFrom: `${year}-01-01`,
        reason: 'demo',
        terms: {
          payees: [
            { organizationId: world.parcelId, role: PartyRole.SUPPLIER, sharePercent: '100' },
          ],
          scope: { ledgerIds: [world.knitsLedgerId] },
          basis: BasisKind.GROSS_REVENUE,
          flatPercent: '5',
          negativePeriod: NegativePeriodHandling.CARRY_FORWARD,
        },
      });
    } catch (error) {
      if (
        error instanceof GrpcCallError &&
        (error.codeName === 'NOT_FOUND' || error.codeName === 'FAILED_PRECONDITION')
      ) {
        return undefined;
      }
      throw error;
    }
  });
  return created.deal?.dealId ?? '';
}

/**
 * Waits until this month's settlement preview has caught up with the ledger: the deals service
 * reads the entries from Kafka, so the demo waits until what it counts stops changing.
 */
export async function waitForSettlementBasis(demo: Connection, dealId: string) {
  const periodStart = `${new Date().toISOString().slice(0, 7)}-01`;
  const deals = demo.tenant(DealService);
  let seen = '';
  let unchangedPolls = 0;
  return poll('the deals service seeing the posted revenue', async () => {
    const { settlement } = await deals.previewSettlement({ dealId, periodStart });
    const count = settlement?.figures?.entryCount.toString() ?? '0';
    unchangedPolls = count === seen ? unchangedPolls + 1 : 0;
    seen = count;
    return settlement && count !== '0' && unchangedPolls >= 4 ? settlement : undefined;
  });
}
