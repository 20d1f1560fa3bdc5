import { type JobView } from '../jobs.service';
import { type JobRecord } from '../persistence/job.repository';
import { toProgress, toProtoJob } from './job.proto-mapper';

const job = (overrides: Partial<JobRecord>): JobView => ({
  job: {
    id: 'j',
    tenantId: 't',
    requestId: 'r',
    profileId: 'p',
    profileVersion: 1,
    fileName: 'f.csv',
    state: 'COMMITTING',
    policy: 'POST_VALID_ROWS',
    fileSize: 1000,
    fileSha256: 'abc',
    validated: false,
    rowsRead: 500,
    rowsValid: 490,
    rowsInvalid: 10,
    rowsPosted: 400,
    rowsDuplicate: 90,
    bytesRead: 250,
    checkpointLine: 501,
    failure: null,
    commitStartedAt: new Date(0),
    fileDeletedAt: null,
    fileHeader: null,
    fileDelimiter: null,
    createdAt: new Date(0),
    updatedAt: new Date(0),
    ...overrides,
  },
  sameFileAsJobId: '',
  totals: [{ currency: 'EUR', amount: '12.5000000000' }],
});

describe('job progress', () => {
  it('gives rows per second since the commit and the remaining time from the share read', () => {
    expect(toProgress(job({}), 10_000)).toMatchObject({
      rowsPerSecond: 49,
      fractionRead: 0.25,
      etaSeconds: 30n,
    });
  });

  it('has no estimate before anything is read, and none needed once the job ended', () => {
    expect(toProgress(job({ bytesRead: 0 }), 10_000).etaSeconds).toBe(-1n);
    expect(toProgress(job({ state: 'COMPLETED', bytesRead: 1000 }), 10_000).etaSeconds).toBe(0n);
  });

  it('shows posted totals at the currency’s digits, not NUMERIC’s padding', () => {
    expect(toProtoJob(job({})).postedTotals).toEqual([{ amount: '12.50', currency: 'EUR' }]);
  });
});
