import { BalanceProjection, type LimitedAccount } from './domain/balance-projection';
import { type RowItem } from './row-pipeline';

/** Rows looked at together: one query for the identities earlier imports posted. */
const WINDOW_ROWS = 1_000;

export interface LimitSources {
  /** A ledger's accounts with a balance limit and their balances now. */
  limitedAccounts(ledgerId: string): Promise<Map<string, LimitedAccount>>;
  /** Which of these row identities earlier imports posted (they will not post again). */
  posted(identities: string[]): Promise<Set<string>>;
}

type ValidItem = Extract<RowItem, { kind: 'valid' }>;

/**
 * The rows, in file order, with those the ledger would refuse for a balance limit turned into
 * row errors (see BalanceProjection). Rows posted before, and repeats of a row in the file, post
 * nothing and are left out of the projection. Only rows on limited accounts are remembered.
 */
export async function* withinBalanceLimits(
  items: AsyncIterable<RowItem>,
  sources: LimitSources,
): AsyncGenerator<RowItem> {
  const projection = new BalanceProjection();
  const projected = new Set<string>();
  const settle = async (window: RowItem[]): Promise<RowItem[]> => {
    const valid = window.filter((item): item is ValidItem => item.kind === 'valid');
    for (const item of valid) {
      const ledgerId = item.entry.ledgerId ?? '';
      if (!projection.knows(ledgerId)) {
        projection.add(ledgerId, await sources.limitedAccounts(ledgerId));
      }
    }
    const limited = new Set(
      valid.filter((item) =>
        projection.touches(
          item.entry.ledgerId ?? '',
          item.row.debitAccount,
          item.row.creditAccount,
        ),
      ),
    );
    if (limited.size === 0) return window;
    const posted = await sources.posted([...limited].map((item) => item.row.identity));

    return window.map((item): RowItem => {
      if (item.kind !== 'valid' || !limited.has(item)) return item;
      const { identity, debitAccount, creditAccount, amount } = item.row;
      if (posted.has(identity) || projected.has(identity)) return item;
      projected.add(identity);
      const reason = projection.apply(
        item.entry.ledgerId ?? '',
        debitAccount,
        creditAccount,
        amount,
      );
      if (reason === null) return item;
      const error = { rowNumber: item.line, column: '', rawValue: amount.toString(), reason };

      return { kind: 'invalid', line: item.line, fields: item.fields, errors: [error] };
    });
  };
  let window: RowItem[] = [];
  for await (const item of items) {
    window.push(item);
    if (window.length < WINDOW_ROWS) continue;
    yield* await settle(window);
    window = [];
  }
  yield* await settle(window);
}
