/** Retries `check` (which throws or rejects until it holds) with backoff, up to `attempts` times. */
export async function eventually<T>(check: () => Promise<T>, attempts = 120): Promise<T> {
  let delay = 50;
  for (let attempt = 1; ; attempt++) {
    try {
      return await check();
    } catch (error) {
      if (attempt >= attempts) throw error;
      await new Promise((resolve) => setTimeout(resolve, delay));
      delay = Math.min(delay * 2, 500);
    }
  }
}
