import { type EntryInput } from './domain/entry';
import { PostCoalescer } from './post-coalescer';

const input = (key: string) => ({ idempotencyKey: key }) as EntryInput;

function deferred<T>() {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((done) => (resolve = done));
  return { promise, resolve };
}

describe(PostCoalescer.name, () => {
  it('posts a lone entry at once, in a batch of its own', async () => {
    const batches: string[][] = [];
    const sut = new PostCoalescer<{ postedBy: string }, string>((_tenant, inputs) => {
      batches.push(inputs.map((i) => i.idempotencyKey));
      return Promise.resolve(inputs.map((i) => `posted ${i.idempotencyKey}`));
    });

    await expect(sut.post('t', input('a'), { postedBy: 'k' })).resolves.toBe('posted a');
    expect(batches).toEqual([['a']]);
  });

  it('groups the posts that arrive during a transaction into the next one, results in order', async () => {
    const batches: string[][] = [];
    const first = deferred<void>();
    const sut = new PostCoalescer<{ postedBy: string }, string>(async (_tenant, inputs) => {
      batches.push(inputs.map((i) => i.idempotencyKey));
      if (batches.length === 1) await first.promise;
      return inputs.map((i) => `posted ${i.idempotencyKey}`);
    });

    const results = [sut.post('t', input('a'), { postedBy: 'k' })];
    results.push(
      sut.post('t', input('b'), { postedBy: 'k' }),
      sut.post('t', input('c'), { postedBy: 'k' }),
    );
    first.resolve();

    await expect(Promise.all(results)).resolves.toEqual(['posted a', 'posted b', 'posted c']);
    expect(batches).toEqual([['a'], ['b', 'c']]);
  });

  it('never mixes callers whose options differ into one batch', async () => {
    const batches: string[][] = [];
    const sut = new PostCoalescer<{ postedBy: string }, string>((tenant, inputs, options) => {
      batches.push(inputs.map((i) => `${tenant}/${options.postedBy}/${i.idempotencyKey}`));
      return Promise.resolve(inputs.map(() => 'ok'));
    });

    await Promise.all([
      sut.post('t1', input('a'), { postedBy: 'k1' }),
      sut.post('t1', input('b'), { postedBy: 'k2' }),
      sut.post('t2', input('c'), { postedBy: 'k1' }),
    ]);

    expect(batches.sort()).toEqual([['t1/k1/a'], ['t1/k2/b'], ['t2/k1/c']]);
  });

  it('rejects only the posts of a failed transaction, and keeps serving', async () => {
    let calls = 0;
    const sut = new PostCoalescer<{ postedBy: string }, string>((_tenant, inputs) => {
      calls += 1;
      if (calls === 1) return Promise.reject(new Error('connection lost'));
      return Promise.resolve(inputs.map(() => 'ok'));
    });

    await expect(sut.post('t', input('a'), { postedBy: 'k' })).rejects.toThrow('connection lost');
    await expect(sut.post('t', input('b'), { postedBy: 'k' })).resolves.toBe('ok');
  });
});
