import { backoffDelayMs, sleep } from './backoff';

describe(backoffDelayMs.name, () => {
  const policy = { initialDelayMs: 200, delayMaxMs: 5_000 };

  it.each([
    [1, 100, 200],
    [2, 200, 400],
    [3, 400, 800],
    [6, 2_500, 5_000],
    [60, 2_500, 5_000],
  ])('after failure %i waits between %i and %i ms', (failures, low, high) => {
    expect(backoffDelayMs(policy, failures, () => 0)).toBe(low);
    expect(backoffDelayMs(policy, failures, () => 1)).toBe(high);
  });
});

describe(sleep.name, () => {
  it('resolves false at once when aborted, so stop() never waits out a backoff', async () => {
    const abort = new AbortController();
    const started = Date.now();
    const slept = sleep(60_000, abort.signal);
    abort.abort();

    await expect(slept).resolves.toBe(false);
    expect(Date.now() - started).toBeLessThan(1_000);
  });

  it('resolves true after the delay', async () => {
    await expect(sleep(5)).resolves.toBe(true);
  });
});
