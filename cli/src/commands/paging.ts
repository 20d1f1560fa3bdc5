import { type Command, InvalidArgumentError } from 'commander';
import { type CommandContext } from '../command-kit';

export interface PageOptions {
  limit: number;
  pageToken?: string;
}

const DEFAULT_LIMIT = 100;
// What the services accept per page; the CLI pages through them up to --limit.
const SERVER_PAGE_SIZE = 500;

export function positiveInteger(value: string): number {
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < 1) {
    throw new InvalidArgumentError('expected a whole number of at least 1');
  }
  return parsed;
}

export function pageOptions(command: Command): Command {
  return command
    .option('--limit <n>', 'show at most n rows', positiveInteger, DEFAULT_LIMIT)
    .option('--page-token <token>', 'continue after an earlier listing (printed when cut off)');
}

export interface Page<T> {
  items: T[];
  nextPageToken: string;
}

/** Reads pages until --limit rows; says on stderr how to continue when rows were left. */
export async function collectPages<T>(
  ctx: CommandContext,
  options: PageOptions,
  fetch: (pageSize: number, pageToken: string) => Promise<Page<T>>,
): Promise<T[]> {
  const items: T[] = [];
  let token = options.pageToken ?? '';
  do {
    const page = await fetch(Math.min(SERVER_PAGE_SIZE, options.limit - items.length), token);
    items.push(...page.items);
    token = page.nextPageToken;
  } while (token && items.length < options.limit);
  if (token) ctx.out.note(`more rows: continue with --page-token ${token}`);
  return items;
}
