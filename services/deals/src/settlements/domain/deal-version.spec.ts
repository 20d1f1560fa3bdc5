import { DealError, DealErrorCode } from './deal.errors';
import { checkAmendment, versionInForce, type DealVersion } from './deal-version';
import { periodStartingOn } from './period';
import { HEADER, terms } from './test-terms.fixture';

const V1: DealVersion = {
  version: 1,
  effectiveFrom: '2026-01-01',
  terms: terms(),
  changedBy: 'api-key:a',
  reason: '',
};
const V2: DealVersion = {
  version: 2,
  effectiveFrom: '2026-07-01',
  terms: terms({ rate: { kind: 'flat', percent: '15' }, effectiveTo: '2026-12-31' }),
  changedBy: 'api-key:b',
  reason: 'mid-year amendment',
};

function codeOf(run: () => void): string | undefined {
  try {
    run();
  } catch (error) {
    if (error instanceof DealError) return error.code;
    throw error;
  }

  return undefined;
}

describe('deal versions', () => {
  it('applies the version in force at the start of each period', () => {
    const month = (start: string) => periodStartingOn('monthly', start);

    expect(versionInForce([V1, V2], month('2025-12-01'))).toBeUndefined();
    expect(versionInForce([V1, V2], month('2026-06-01'))?.version).toBe(1);
    expect(versionInForce([V1, V2], month('2026-07-01'))?.version).toBe(2);
    expect(versionInForce([V1, V2], month('2027-01-01'))).toBeUndefined();
  });

  it('accepts an amendment after the latest version and the last finalized period', () => {
    expect(
      codeOf(() => checkAmendment(HEADER, [V1], '2026-07-01', terms(), '2026-06-30')),
    ).toBeUndefined();
  });

  it('refuses overlapping versions, finalized periods and mid-period starts', () => {
    expect(codeOf(() => checkAmendment(HEADER, [V1, V2], '2026-07-01', terms(), null))).toBe(
      DealErrorCode.VERSION_CONFLICT,
    );
    expect(codeOf(() => checkAmendment(HEADER, [V1], '2026-03-01', terms(), '2026-03-31'))).toBe(
      DealErrorCode.VERSION_CONFLICT,
    );
    expect(codeOf(() => checkAmendment(HEADER, [V1], '2026-03-15', terms(), null))).toBe(
      DealErrorCode.INVALID_PERIOD,
    );
  });
});
