/**
 * Polls `probe` until it returns a value (anything but undefined) or the time is up: services
 * apply events asynchronously, so tests wait for an effect instead of sleeping a guessed time.
 * A probe that throws is retried; the last error is reported if time runs out.
 */
export async function eventually<T>(
  probe: () => Promise<T | undefined>,
  timeoutMs = 30_000,
  intervalMs = 200,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined) return value;
    } catch (error) {
      lastError = error;
    }
    if (Date.now() > deadline) {
      throw new Error(`not within ${timeoutMs} ms; last error: ${String(lastError)}`);
    }
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}
