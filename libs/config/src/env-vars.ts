import { z } from 'zod';

// Building blocks for each service's env schema, so the same variable is validated the same way
// everywhere (and the deploy manifests can be checked against one definition).

export const postgresUrl = z
  .string()
  .regex(
    /^postgres(ql)?:\/\//,
    'must be a postgres:// URL, e.g. postgres://user:pass@host:5432/kontor',
  );

export const kafkaBrokers = z
  .string()
  .min(1)
  .transform((value) => value.split(',').map((broker) => broker.trim()))
  .pipe(
    z
      .array(z.string().regex(/^[^:\s]+:\d{1,5}$/, 'each broker must be host:port'))
      .min(1, 'at least one broker, e.g. 127.0.0.1:9092'),
  );

export const port = (fallback: number) =>
  z.coerce.number().int().min(0).max(65535).default(fallback);

export const booleanFlag = (fallback: boolean) =>
  z
    .enum(['true', 'false', '1', '0'])
    .default(fallback ? 'true' : 'false')
    .transform((value) => value === 'true' || value === '1');

export const logLevel = z.enum(['debug', 'info', 'warn', 'error']).default('info');

// A secret is masked whenever config is printed.
export const secret = (minLength: number) =>
  z.string().min(minLength, `must be at least ${minLength} characters`);

export function redact<T extends Record<string, unknown>>(config: T, secretKeys: (keyof T)[]): T {
  const copy = { ...config };
  for (const key of secretKeys) if (copy[key] !== undefined) copy[key] = '***' as T[keyof T];
  return copy;
}
