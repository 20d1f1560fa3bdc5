import { type MessageInitShape } from '@bufbuild/protobuf';
import { timestampFromDate } from '@bufbuild/protobuf/wkt';
import { ErrorPolicy as ProtoPolicy } from '@kontor/contracts/imports/v1/import_profile_pb';
import {
  JobState as ProtoState,
  type JobSchema,
  type RowErrorSchema,
  type WatchJobResponseSchema,
  type WouldBeEntrySchema,
} from '@kontor/contracts/imports/v1/import_service_pb';
import { Money } from '@kontor/money';
import { EntrySide } from '@kontor/contracts/ledger/v1/entry_service_pb';
import { type RowError } from '../domain/row-mapper';
import { type JobView } from '../jobs.service';
import { type ErrorPolicy, type JobState } from '../persistence/job.repository';
import { type RowItem } from '../row-pipeline';

const STATE: Record<JobState, ProtoState> = {
  CREATED: ProtoState.CREATED,
  UPLOADED: ProtoState.UPLOADED,
  VALIDATED: ProtoState.VALIDATED,
  COMMITTING: ProtoState.COMMITTING,
  COMPLETED: ProtoState.COMPLETED,
  REJECTED: ProtoState.REJECTED,
  CANCELLED: ProtoState.CANCELLED,
  FAILED: ProtoState.FAILED,
};

export function fromProtoPolicy(policy: ProtoPolicy): ErrorPolicy {
  return policy === ProtoPolicy.POST_VALID_ROWS ? 'POST_VALID_ROWS' : 'REJECT_FILE';
}

const POLICY_OUT = {
  REJECT_FILE: ProtoPolicy.REJECT_FILE,
  POST_VALID_ROWS: ProtoPolicy.POST_VALID_ROWS,
};

export function toProtoJob({
  job,
  sameFileAsJobId,
  totals,
}: JobView): MessageInitShape<typeof JobSchema> {
  return {
    id: job.id,
    profileId: job.profileId,
    profileVersion: job.profileVersion,
    state: STATE[job.state],
    policy: job.policy === null ? ProtoPolicy.UNSPECIFIED : POLICY_OUT[job.policy],
    fileName: job.fileName,
    fileSize: BigInt(job.fileSize),
    fileSha256: job.fileSha256 ?? '',
    counts: {
      rowsRead: BigInt(job.rowsRead),
      rowsValid: BigInt(job.rowsValid),
      rowsInvalid: BigInt(job.rowsInvalid),
      rowsPosted: BigInt(job.rowsPosted),
      rowsDuplicate: BigInt(job.rowsDuplicate),
    },
    failure: job.failure ?? '',
    sameFileAsJobId,
    createTime: timestampFromDate(job.createdAt),
    updateTime: timestampFromDate(job.updatedAt),
    postedTotals: totals.map((t) => Money.fromDecimal(t.amount, t.currency).toJSON()),
  };
}

export function toProtoRowError(e: RowError): MessageInitShape<typeof RowErrorSchema> {
  return {
    rowNumber: BigInt(e.rowNumber),
    column: e.column,
    rawValue: e.rawValue,
    reason: e.reason,
  };
}

export function toWouldBeEntry(
  item: Extract<RowItem, { kind: 'valid' }>,
): MessageInitShape<typeof WouldBeEntrySchema> {
  const { entry, row } = item;
  const debit = entry.lines!.find((l) => l.side === EntrySide.DEBIT)!;

  return {
    rowNumber: BigInt(item.line),
    ledgerId: entry.ledgerId,
    journalSymbol: entry.journalSymbol,
    entryDate: entry.entryDate,
    amount: row.amount.toJSON(),
    debitAccountCode: row.debitAccount,
    creditAccountCode: row.creditAccount,
    counterpartyId: debit.counterpartyId,
    product: row.product,
    reference: row.reference,
    description: row.description,
    idempotencyKey: entry.idempotencyKey,
  };
}

/** Progress of a commit: rows handled per second and the remaining time from bytes read. */
export function toProgress(
  view: JobView,
  now = Date.now(),
): MessageInitShape<typeof WatchJobResponseSchema> {
  const { job } = view;
  const fraction = job.fileSize > 0 ? Math.min(1, job.bytesRead / job.fileSize) : 0;
  const elapsedS = job.commitStartedAt ? (now - job.commitStartedAt.getTime()) / 1000 : 0;
  const handled = job.rowsPosted + job.rowsDuplicate;
  const rate = elapsedS > 0 ? handled / elapsedS : 0;
  const eta =
    job.state === 'COMMITTING' && fraction > 0 && elapsedS > 0
      ? BigInt(Math.ceil((elapsedS * (1 - fraction)) / fraction))
      : job.state === 'COMMITTING'
        ? -1n
        : 0n;

  return { job: toProtoJob(view), rowsPerSecond: rate, etaSeconds: eta, fractionRead: fraction };
}
