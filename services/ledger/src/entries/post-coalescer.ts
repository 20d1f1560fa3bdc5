import { MAX_ENTRIES_PER_BATCH, type EntryInput } from './domain/entry';

interface Pending<Result> {
  input: EntryInput;
  resolve(result: Result): void;
  reject(error: unknown): void;
}

type PostBatch<Options, Result> = (
  tenantId: string,
  inputs: EntryInput[],
  options: Options,
) => Promise<Result[]>;

/**
 * Group commit for single-entry posts. Postings to a ledger serialize on its row lock, so one
 * transaction per PostEntry caps a ledger at the rate of commits. Instead, while a transaction
 * runs, the posts that arrive queue up, and the next transaction takes them all (at most a full
 * batch). Each entry still gets its own result (the batch path decides entries one by one, in
 * arrival order), so callers see exactly what they would have seen alone; an idle service posts
 * a lone entry at once, without waiting for company.
 */
export class PostCoalescer<Options extends { postedBy: string; source?: string }, Result> {
  private readonly queues = new Map<string, Pending<Result>[]>();

  constructor(private readonly postBatch: PostBatch<Options, Result>) {}

  post(tenantId: string, input: EntryInput, options: Options): Promise<Result> {
    // Entries share a transaction only if they share everything the batch applies to all.
    const key = JSON.stringify([tenantId, options.postedBy, options.source ?? '']);

    return new Promise<Result>((resolve, reject) => {
      const queue = this.queues.get(key);
      if (queue) {
        queue.push({ input, resolve, reject });
        return;
      }
      this.queues.set(key, [{ input, resolve, reject }]);
      void this.drain(key, tenantId, options);
    });
  }

  private async drain(key: string, tenantId: string, options: Options): Promise<void> {
    for (;;) {
      const queue = this.queues.get(key) ?? [];
      const batch = queue.splice(0, MAX_ENTRIES_PER_BATCH);
      if (batch.length === 0) {
        this.queues.delete(key);
        return;
      }
      try {
        const results = await this.postBatch(
          tenantId,
          batch.map((pending) => pending.input),
          options,
        );
        batch.forEach((pending, i) => pending.resolve(results[i]));
      } catch (error) {
        for (const pending of batch) pending.reject(error);
      }
    }
  }
}
