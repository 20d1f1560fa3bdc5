/** How often and how patiently a failed step is tried again. */
export interface RetryPolicy {
  /** Total attempts including the first; 1 means no retry. */
  attempts: number;
  initialDelayMs: number;
  delayMaxMs: number;
}

/**
 * Exponential backoff with "equal jitter": half the delay is fixed, half random, so many
 * consumers failing together do not retry in lock step, yet each waits at least half the step.
 */
export function backoffDelayMs(
  policy: Pick<RetryPolicy, 'initialDelayMs' | 'delayMaxMs'>,
  failures: number,
  random: () => number = Math.random,
): number {
  const exponent = Math.max(0, Math.min(failures - 1, 30));
  const step = Math.min(policy.delayMaxMs, policy.initialDelayMs * 2 ** exponent);

  return Math.round(step / 2 + (random() * step) / 2);
}

/** Resolves true after `ms`, or false as soon as `signal` aborts (never rejects). */
export function sleep(ms: number, signal?: AbortSignal): Promise<boolean> {
  if (signal?.aborted) return Promise.resolve(false);

  return new Promise((resolve) => {
    const onAbort = (): void => {
      clearTimeout(timer);
      resolve(false);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve(true);
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
