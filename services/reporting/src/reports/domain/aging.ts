// Receivables aging: the open amount of each invoice (after payments and credit were applied to
// the oldest invoices first, computed in SQL) lands in a bucket by the days it is past due at the
// as-of date. An invoice without a due date is due on its invoice date.

export type AgingBucket = 'current' | 'days_1_30' | 'days_31_60' | 'days_61_90' | 'days_over_90';

export const AGING_BUCKETS: readonly AgingBucket[] = [
  'current',
  'days_1_30',
  'days_31_60',
  'days_61_90',
  'days_over_90',
];

const DAY_MS = 86_400_000;

/** Whole days from `due` to `asOf` (both "YYYY-MM-DD"); negative when not yet due. */
export function daysPastDue(due: string, asOf: string): number {
  return Math.round((Date.parse(`${asOf}T00:00:00Z`) - Date.parse(`${due}T00:00:00Z`)) / DAY_MS);
}

export function agingBucket(daysPast: number): AgingBucket {
  if (daysPast <= 0) return 'current';
  if (daysPast <= 30) return 'days_1_30';
  if (daysPast <= 60) return 'days_31_60';
  if (daysPast <= 90) return 'days_61_90';

  return 'days_over_90';
}
