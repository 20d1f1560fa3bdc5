import 'reflect-metadata';
import { randomBytes, randomUUID } from 'node:crypto';
import {
  createReadStream,
  createWriteStream,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { once } from 'node:events';
import { parse } from 'csv-parse';
import { ErrorPolicy } from '@kontor/contracts/imports/v1/import_profile_pb';
import { ImportService, JobState, type Job } from '@kontor/contracts/imports/v1/import_service_pb';
import { LedgerService } from '@kontor/contracts/ledger/v1/ledger_service_pb';
import {
  OrganizationKind,
  OrganizationService,
} from '@kontor/contracts/ledger/v1/organization_service_pb';
import { PeriodService } from '@kontor/contracts/ledger/v1/period_service_pb';
import { TenantService } from '@kontor/contracts/ledger/v1/tenant_service_pb';
import { dropDatabase, localServiceRole } from '@kontor/db';
import { createClient, GrpcCallError, GrpcStatus } from '@kontor/grpc';
import {
  builtServiceEntry,
  serverAdminUrl,
  startPlatform,
  testKafkaBrokers,
} from '@kontor/testing';

// `npm run bench -- import`: a generated CSV of BENCH_ROWS rows (default 1,000,000) imported by
// the built import service (its own process) into the built ledger, from the first uploaded
// byte to the last row posted, beside a baseline from the same run on the same machine: csv-parse
// alone over the same file. Prints rows/s and the import process's peak RSS (VmHWM).

const ROWS = Number(process.env['BENCH_ROWS'] ?? 1_000_000);
const CHUNK_BYTES = 1024 * 1024;

type Imports = ReturnType<typeof createClient<(typeof ImportService)['method']>>;

async function writeStatement(path: string): Promise<number> {
  const out = createWriteStream(path);
  out.write('Date,Amount,Ref,Text\n');
  for (let i = 1; i <= ROWS; i += 1) {
    // Never 0.00 (an entry of nothing is an invalid row): 0.01 … 9,999.99, as integer cents
    // (bigint) turned into text, so no amount is ever a JS number.
    const cents = ((BigInt(i) * 7919n) % 999_999n) + 1n;
    const amount = `${cents / 100n}.${String(cents % 100n).padStart(2, '0')}`;
    const sign = i % 10 === 0 ? '-' : '';
    const date = `2026-${String((i % 12) + 1).padStart(2, '0')}-${String((i % 28) + 1).padStart(2, '0')}`;
    const line = `${date},${sign}${amount},R-${i},payout line ${i}\n`;
    if (!out.write(line)) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');

  return statSync(path).size;
}

async function csvParseBaseline(path: string): Promise<number> {
  const started = process.hrtime.bigint();
  let records = 0;
  const parser = createReadStream(path, { highWaterMark: CHUNK_BYTES }).pipe(
    parse({ relax_column_count: true }),
  );
  for await (const record of parser) if (record) records += 1;
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  if (records !== ROWS + 1) throw new Error(`baseline read ${records} records`);

  return seconds;
}

/** The import process of this run: the built entry whose DATABASE_URL names our database. */
function importPid(database: string): number {
  const entry = builtServiceEntry('import');
  for (const pid of readdirSync('/proc').filter((name) => /^\d+$/.test(name))) {
    try {
      const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
      const environ = readFileSync(`/proc/${pid}/environ`, 'utf8');
      if (cmdline.includes(entry) && environ.includes(`/${database}`)) return Number(pid);
    } catch {
      // Gone or not ours.
    }
  }
  throw new Error('import process not found');
}

function statusMb(pid: number, field: 'VmHWM' | 'VmRSS'): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = Number(new RegExp(`${field}:\\s+(\\d+) kB`).exec(status)?.[1] ?? 0);

  return kb / 1024;
}
const peakRssMb = (pid: number) => statusMb(pid, 'VmHWM');
const rssMb = (pid: number) => statusMb(pid, 'VmRSS');

async function setUp(ledgerAddress: string, importAddress: string, adminToken: string) {
  const admin = createClient(TenantService, ledgerAddress, {
    token: adminToken,
    defaultDeadlineMs: 30_000,
  });
  const { tenant } = await admin.createTenant({
    slug: `bench-${randomUUID().slice(0, 8)}`,
    name: 'Bench',
  });
  const { token } = await admin.issueApiKey({ tenantId: tenant!.id, label: 'bench' });
  const options = { token, defaultDeadlineMs: 60_000 };
  const organizations = createClient(OrganizationService, ledgerAddress, options);
  const { organization } = await organizations.createOrganization({
    externalId: 'bench-partner',
    kind: OrganizationKind.PARTNER,
    name: 'Bench partner',
  });
  const { ledger } = await createClient(LedgerService, ledgerAddress, options).createLedger({
    requestId: 'bench-book',
    name: 'Bench book',
    baseCurrency: 'EUR',
    ownerOrganizationId: organization!.id,
    createDefaultChart: true,
  });
  await createClient(PeriodService, ledgerAddress, options).createFiscalYear({
    ledgerId: ledger!.id,
    name: '2026',
    startMonth: '2026-01',
    monthCount: 12,
    journals: [{ symbol: 'BANK', name: 'Bank' }],
  });
  const imports = createClient(ImportService, importAddress, {
    token,
    defaultDeadlineMs: 3_600_000,
  });
  for (let attempt = 0; ; attempt += 1) {
    try {
      await imports.listProfiles({});
      break;
    } catch (error) {
      if (
        !(error instanceof GrpcCallError && error.code === GrpcStatus.UNAUTHENTICATED) ||
        attempt > 300
      )
        throw error;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }
  const { profile } = await imports.createProfile({
    requestId: 'bench-profile',
    name: 'Bench payouts',
    definition: {
      file: { delimiter: ',', hasHeader: true },
      date: { column: 'Date' },
      amount: { amount: { column: 'Amount' } },
      fixedCurrency: 'EUR',
      ledgerId: ledger!.id,
      journalSymbol: 'BANK',
      account: { accountCode: '4000' },
      contraAccountCode: '1100',
      reference: { column: 'Ref' },
      description: { column: 'Text' },
      uniqueColumns: [{ column: 'Ref' }],
    },
  });

  return { imports, profileId: profile!.id };
}

async function upload(imports: Imports, profileId: string, path: string, requestId: string) {
  const { job } = await imports.createJob({ requestId, profileId, fileName: 'bench.csv' });
  async function* chunks() {
    let first = true;
    for await (const chunk of createReadStream(path, { highWaterMark: CHUNK_BYTES })) {
      yield { jobId: first ? job!.id : '', chunk: chunk as Buffer };
      first = false;
    }
  }
  await imports.uploadFile(chunks());

  return job!.id;
}

/** The import's own work without posting: read, decode, parse, map and resolve every row. */
async function dryRun(imports: Imports, profileId: string, path: string) {
  const jobId = await upload(imports, profileId, path, 'bench-dry-run');
  const started = Date.now();
  const { job } = await imports.validateJob({ jobId, previewLimit: 1 });
  if (job!.counts!.rowsValid !== BigInt(ROWS))
    throw new Error(`dry run: ${job!.counts!.rowsValid} valid`);

  return (Date.now() - started) / 1000;
}

async function importOnce(imports: Imports, profileId: string, path: string) {
  const started = Date.now();
  const job = { id: await upload(imports, profileId, path, 'bench-job') };
  const uploadedS = (Date.now() - started) / 1000;
  await imports.commitJob({ jobId: job.id, policy: ErrorPolicy.POST_VALID_ROWS });
  let last: Job | undefined;
  let lastPrint = 0;
  for await (const update of imports.watchJob({ jobId: job.id })) {
    last = update.job;
    if (Date.now() - lastPrint > 10_000) {
      lastPrint = Date.now();
      console.log(
        `  … posted ${last!.counts!.rowsPosted} rows, ${Math.round(update.rowsPerSecond)} rows/s, eta ${update.etaSeconds} s`,
      );
    }
  }

  return { job: last!, uploadedS, totalS: (Date.now() - started) / 1000 };
}

/** The built ledger and import as processes; the import with its heap capped as deployed. */
async function startServices(database: string, adminToken: string, importNodeOptions: string) {
  const common = {
    serverUrl: serverAdminUrl(),
    database,
    kafkaBrokers: testKafkaBrokers().join(','),
    adminToken,
    internalServiceToken: `kontor_service_${randomBytes(24).toString('base64url')}`,
  };
  const logLevel = process.env['BENCH_LOG_LEVEL'] ?? 'warn';
  const ledger = await startPlatform({
    ...common,
    services: ['ledger'],
    env: { LOG_LEVEL: logLevel },
  });
  // The import runs as deployed: its V8 heap capped (IMPORT_NODE_OPTIONS), since V8 otherwise
  // lets garbage pile up to far more than the service holds (streaming keeps the live set small).
  const importer = await startPlatform({
    ...common,
    services: ['import'],
    env: {
      LOG_LEVEL: logLevel,
      LEDGER_GRPC_ADDRESS: ledger.addresses.ledger!,
      NODE_OPTIONS: importNodeOptions,
    },
  });
  return {
    addresses: { ...ledger.addresses, ...importer.addresses },
    stop: async () => {
      await importer.stop();
      await ledger.stop();
    },
  };
}

async function main(): Promise<void> {
  const database = `kontor_bench_${randomBytes(4).toString('hex')}`;
  const adminToken = `kontor_admin_${randomBytes(24).toString('base64url')}`;
  const path = join(tmpdir(), `kontor-import-bench-${process.pid}.csv`);
  const bytes = await writeStatement(path);
  console.log(`generated ${ROWS} rows, ${(bytes / 1024 / 1024).toFixed(1)} MB`);
  const baselineS = await csvParseBaseline(path);
  const importNodeOptions = process.env['IMPORT_NODE_OPTIONS'] ?? '--max-old-space-size=128';
  const platform = await startServices(database, adminToken, importNodeOptions);
  try {
    const { imports, profileId } = await setUp(
      platform.addresses.ledger!,
      platform.addresses.import!,
      adminToken,
    );
    const pid = importPid(database);
    const idleRssMb = rssMb(pid);
    const dryRunS = await dryRun(imports, profileId, path);
    const { job, uploadedS, totalS } = await importOnce(imports, profileId, path);
    if (job.state !== JobState.COMPLETED || job.counts!.rowsPosted !== BigInt(ROWS)) {
      throw new Error(
        `job ended ${JobState[job.state]} with ${job.counts!.rowsPosted} posted: ${job.failure}`,
      );
    }
    const peakMb = peakRssMb(pid);
    console.log('');
    console.log(
      `csv-parse alone (baseline)          ${Math.round(ROWS / baselineS)
        .toString()
        .padStart(9)} rows/s  ${baselineS.toFixed(1)} s`,
    );
    console.log(
      `upload (1 MiB chunks to Postgres)   ${(bytes / 1024 / 1024 / uploadedS).toFixed(1).padStart(9)} MB/s    ${uploadedS.toFixed(1)} s`,
    );
    console.log(
      `dry run (read, parse, map; no post) ${Math.round(ROWS / dryRunS)
        .toString()
        .padStart(9)} rows/s  ${dryRunS.toFixed(1)} s`,
    );
    console.log(
      `import, upload to all rows posted   ${Math.round(ROWS / totalS)
        .toString()
        .padStart(9)} rows/s  ${totalS.toFixed(1)} s (target ≤ 60 s)`,
    );
    console.log(
      `import service peak RSS (VmHWM)     ${peakMb.toFixed(0).padStart(9)} MB      (target < 300 MB; ${idleRssMb.toFixed(0)} MB idle before the upload; NODE_OPTIONS ${importNodeOptions})`,
    );
  } finally {
    await platform.stop();
    rmSync(path, { force: true });
    await dropDatabase(serverAdminUrl(), database, [
      localServiceRole(database, 'ledger').role,
      localServiceRole(database, 'import').role,
    ]);
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
