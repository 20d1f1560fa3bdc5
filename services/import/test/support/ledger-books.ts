import { type ImportPlatform } from './import-platform';

/** What the ledger holds from imports for a ledger: entry count and the signed sum on Bank. */
export async function importedInLedger(platform: ImportPlatform, ledgerId: string) {
  const [row] = await platform.query<{ entries: string; bank: string | null; posted_by: string[] }>(
    `SELECT count(DISTINCT e.id)::text AS entries,
       sum(CASE WHEN l.side = 'debit' THEN l.amount ELSE -l.amount END)::text AS bank,
       array_agg(DISTINCT e.posted_by) AS posted_by
     FROM ledger.entries e
     JOIN ledger.entry_lines l ON l.entry_id = e.id
     JOIN ledger.accounts a ON a.id = l.account_id AND a.code = '1100'
     WHERE e.ledger_id = $1 AND e.source = 'import'`,
    [ledgerId],
  );

  return { entries: Number(row.entries), bank: row.bank, postedBy: row.posted_by };
}
