import { DealError, DealErrorCode } from './deal.errors';
import { type DealHeader, type DealTerms, validateTerms } from './deal-terms';
import { periodContaining, type Period } from './period';

/** One version of a deal's terms: in force from `effectiveFrom` until the next version. */
export interface DealVersion {
  version: number;
  effectiveFrom: string;
  terms: DealTerms;
  /** Who made it: "api-key:<key id>". */
  changedBy: string;
  reason: string;
}

/**
 * The version in force for a period: the latest one effective on or before the period's start.
 * Undefined when the period is before the deal starts or after its `effectiveTo`.
 */
export function versionInForce(
  versions: readonly DealVersion[],
  period: Period,
): DealVersion | undefined {
  let found: DealVersion | undefined;
  for (const version of versions) {
    if (version.effectiveFrom <= period.start) found = version;
  }
  if (!found) return undefined;
  if (found.terms.effectiveTo !== null && period.start > found.terms.effectiveTo) return undefined;

  return found;
}

/**
 * Checks an amendment: valid terms, effective from the first day of a period, strictly after the
 * latest version (versions never overlap or rewrite each other), and not inside a period that is
 * already finalized (finalized settlements keep the terms they were computed with).
 * @throws DealError INVALID_DEAL, INVALID_PERIOD or VERSION_CONFLICT
 */
export function checkAmendment(
  header: DealHeader,
  versions: readonly DealVersion[],
  effectiveFrom: string,
  terms: DealTerms,
  lastFinalizedEnd: string | null,
): void {
  validateTerms(header, terms, effectiveFrom);
  if (periodContaining(header.frequency, effectiveFrom).start !== effectiveFrom) {
    throw new DealError(
      DealErrorCode.INVALID_PERIOD,
      `effective_from: an amendment takes effect at the start of a settlement period, got ${effectiveFrom}`,
      { fieldViolations: [{ field: 'effective_from', description: 'must start a period' }] },
    );
  }
  const latest = versions[versions.length - 1];
  if (latest && effectiveFrom <= latest.effectiveFrom) {
    throw new DealError(
      DealErrorCode.VERSION_CONFLICT,
      `effective_from: ${effectiveFrom} overlaps version ${latest.version}, in force from ${latest.effectiveFrom}; an amendment must start after it`,
      {
        fieldViolations: [
          { field: 'effective_from', description: `after ${latest.effectiveFrom}` },
        ],
      },
    );
  }
  if (lastFinalizedEnd !== null && effectiveFrom <= lastFinalizedEnd) {
    throw new DealError(
      DealErrorCode.VERSION_CONFLICT,
      `effective_from: ${effectiveFrom} falls in a finalized period (finalized up to ${lastFinalizedEnd})`,
      { fieldViolations: [{ field: 'effective_from', description: `after ${lastFinalizedEnd}` }] },
    );
  }
}
