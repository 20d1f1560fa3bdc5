import { ErrorPolicy } from '@kontor/contracts/imports/v1/import_profile_pb';
import { JobState } from '@kontor/contracts/imports/v1/import_service_pb';
import { GrpcCallError, GrpcStatus } from '@kontor/grpc';
import { setUpBook, type Book } from './support/book';
import {
  startImportPlatform,
  type ImportPlatform,
  type TestTenant,
} from './support/import-platform';
import { counts, importsOf, untilDone, uploadJob, type Imports } from './support/jobs';

jest.setTimeout(180_000);

let platform: ImportPlatform;
let tenant: TestTenant;
let imports: Imports;
let book: Book;

beforeAll(async () => {
  platform = await startImportPlatform();
  tenant = await platform.newTenant();
  imports = importsOf(platform, tenant);
  book = await setUpBook(platform, tenant);
});

afterAll(() => platform?.stop());

const definition = (dateFormat: string) => ({
  file: { delimiter: ';', hasHeader: true },
  values: { dateFormats: [dateFormat] },
  date: { column: 'Date' },
  amount: { amount: { column: 'Amount' } },
  fixedCurrency: 'EUR',
  ledgerId: book.ledgerId,
  journalSymbol: 'BANK',
  account: { accountCode: '4000' },
  contraAccountCode: '1100',
  uniqueColumns: [{ column: 'Ref' }],
});

async function failure(call: () => Promise<unknown>): Promise<GrpcCallError> {
  const error = await call().then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(error instanceof GrpcCallError)) throw new Error('expected a GrpcCallError');

  return error;
}

describe('profiles', () => {
  it('are versioned: a job keeps the version it was created with', async () => {
    const { profile: v1 } = await imports.createProfile({
      requestId: 'versioned-1',
      name: 'Versioned',
      definition: definition('YYYY-MM-DD'),
    });
    const job = await uploadJob(
      imports,
      v1!.id,
      Buffer.from('Date;Amount;Ref\n2026-08-01;1.00;V-1\n'),
    );
    const { profile: v2 } = await imports.updateProfile({
      profileId: v1!.id,
      expectedVersion: 1,
      definition: definition('DD.MM.YYYY'),
    });
    await imports.commitJob({ jobId: job.id, policy: ErrorPolicy.REJECT_FILE });
    const done = await untilDone(imports, job.id);

    expect(v2!.version).toBe(2);
    expect(v2!.definition!.values!.dateFormats).toEqual(['DD.MM.YYYY']);
    expect(done.profileVersion).toBe(1);
    expect(counts(done)).toMatchObject({ valid: 1, posted: 1 });
    expect(
      (await imports.getProfile({ profileId: v1!.id, version: 1 })).profile!.definition!.values!
        .dateFormats,
    ).toEqual(['YYYY-MM-DD']);
  });

  it('refuse an update based on an old version, and accept a retry of the same update', async () => {
    const { profile } = await imports.createProfile({
      requestId: 'conflict-1',
      name: 'Conflict',
      definition: definition('YYYY-MM-DD'),
    });
    const update = {
      profileId: profile!.id,
      expectedVersion: 1,
      definition: definition('DD/MM/YYYY'),
    };
    const first = await imports.updateProfile(update);
    const retry = await imports.updateProfile(update);
    const stale = await failure(() =>
      imports.updateProfile({ ...update, definition: definition('M/D/YYYY') }),
    );

    expect([first.profile!.version, retry.profile!.version]).toEqual([2, 2]);
    expect(stale.code).toBe(GrpcStatus.FAILED_PRECONDITION);
  });

  it('are created once per request id, with unique names, and invalid ones name every field', async () => {
    const request = { requestId: 'once-1', name: 'Once', definition: definition('YYYY-MM-DD') };
    const a = await imports.createProfile(request);
    const b = await imports.createProfile(request);
    const taken = await failure(() => imports.createProfile({ ...request, requestId: 'once-2' }));
    const invalid = await failure(() =>
      imports.createProfile({
        requestId: 'bad-1',
        name: 'Bad',
        definition: { ...definition('YYYY-QQ'), contraAccountCode: '', fixedCurrency: 'EURO' },
      }),
    );

    expect(b.profile!.id).toBe(a.profile!.id);
    expect(taken.code).toBe(GrpcStatus.ALREADY_EXISTS);
    expect(invalid.code).toBe(GrpcStatus.INVALID_ARGUMENT);
    expect(invalid.fieldViolations.map((v) => v.field)).toEqual([
      'values.date_formats[0]',
      'contra_account_code',
      'fixed_currency',
    ]);
  });
});

describe('request ids', () => {
  it('replay a profile creation with the same content and refuse other content (ALREADY_EXISTS)', async () => {
    const request = { requestId: 'same-1', name: 'Same', definition: definition('YYYY-MM-DD') };
    const first = await imports.createProfile(request);
    const retry = await imports.createProfile(request);
    const otherDefinition = await failure(() =>
      imports.createProfile({ ...request, definition: definition('DD.MM.YYYY') }),
    );
    const otherName = await failure(() => imports.createProfile({ ...request, name: 'Other' }));

    expect(retry.profile).toEqual(first.profile);
    for (const refused of [otherDefinition, otherName]) {
      expect(refused.code).toBe(GrpcStatus.ALREADY_EXISTS);
      expect(refused.message).toContain(`request_id "same-1" was already used to create profile`);
      expect(refused.fieldViolations.map((v) => v.field)).toEqual(['request_id']);
    }
    const { profile } = await imports.getProfile({ profileId: first.profile!.id });
    expect([profile!.name, profile!.version]).toEqual(['Same', 1]);
  });

  it('replay a job creation with the same content and refuse another profile or file (ALREADY_EXISTS)', async () => {
    const { profile } = await imports.createProfile({
      requestId: 'job-ids',
      name: 'Job ids',
      definition: definition('YYYY-MM-DD'),
    });
    const { profile: other } = await imports.createProfile({
      requestId: 'job-ids-other',
      name: 'Job ids other',
      definition: definition('YYYY-MM-DD'),
    });
    const request = { requestId: 'job-1', profileId: profile!.id, fileName: 'a.csv' };
    const first = await imports.createJob(request);
    const retry = await imports.createJob(request);
    const otherFile = await failure(() => imports.createJob({ ...request, fileName: 'b.csv' }));
    const otherProfile = await failure(() =>
      imports.createJob({ ...request, profileId: other!.id }),
    );

    expect(retry.job!.id).toBe(first.job!.id);
    expect([otherFile.code, otherProfile.code]).toEqual([
      GrpcStatus.ALREADY_EXISTS,
      GrpcStatus.ALREADY_EXISTS,
    ]);
  });

  it('replay an update with the same content; the same expected version with other content is a conflict', async () => {
    const { profile } = await imports.createProfile({
      requestId: 'update-ids',
      name: 'Update ids',
      definition: definition('YYYY-MM-DD'),
    });
    const update = {
      profileId: profile!.id,
      expectedVersion: 1,
      definition: definition('D.M.YYYY'),
    };
    const first = await imports.updateProfile(update);
    const retry = await imports.updateProfile(update);
    const renamed = await failure(() => imports.updateProfile({ ...update, name: 'Renamed' }));

    expect([first.profile!.version, retry.profile!.version]).toEqual([2, 2]);
    expect(renamed.code).toBe(GrpcStatus.FAILED_PRECONDITION);
  });
});

describe('jobs', () => {
  it('commit idempotently and refuse a commit before the upload', async () => {
    const { profile } = await imports.createProfile({
      requestId: 'jobs-1',
      name: 'Jobs',
      definition: definition('YYYY-MM-DD'),
    });
    const { job: empty } = await imports.createJob({
      requestId: 'jobs-empty',
      profileId: profile!.id,
      fileName: 'x.csv',
    });
    const early = await failure(() =>
      imports.commitJob({ jobId: empty!.id, policy: ErrorPolicy.POST_VALID_ROWS }),
    );
    const job = await uploadJob(
      imports,
      profile!.id,
      Buffer.from('Date;Amount;Ref\n2026-08-02;2.00;J-1\n'),
    );
    const first = await imports.commitJob({ jobId: job.id, policy: ErrorPolicy.POST_VALID_ROWS });
    const again = await imports.commitJob({ jobId: job.id, policy: ErrorPolicy.POST_VALID_ROWS });
    const done = await untilDone(imports, job.id);

    expect(early.code).toBe(GrpcStatus.FAILED_PRECONDITION);
    expect(first.job!.state).toBe(JobState.COMMITTING);
    expect(again.job!.id).toBe(job.id);
    expect(counts(done)).toMatchObject({ posted: 1, duplicate: 0 });
  });
});
