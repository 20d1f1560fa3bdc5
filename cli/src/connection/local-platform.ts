import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { z } from 'zod';

// `npm start` writes .data/platform.json (addresses, admin token, brokers) into the workspace
// while the platform runs, so `npx kontor` inside the checkout needs no set-up at all.
export const LOCAL_PLATFORM_FILE = join('.data', 'platform.json');

const LocalPlatformSchema = z.object({
  addresses: z.record(z.string(), z.string()),
  adminToken: z.string().optional(),
  kafkaBrokers: z.string().optional(),
});

export type LocalPlatform = z.infer<typeof LocalPlatformSchema>;

/** The running local platform's settings, looked up from `cwd` upwards; undefined if none. */
export function findLocalPlatform(
  cwd: string,
  env: NodeJS.ProcessEnv = process.env,
): LocalPlatform | undefined {
  const file = env['KONTOR_PLATFORM_FILE'] ?? findUpwards(cwd, LOCAL_PLATFORM_FILE);
  if (!file || !existsSync(file)) return undefined;
  try {
    const parsed = LocalPlatformSchema.safeParse(JSON.parse(readFileSync(file, 'utf8')));
    return parsed.success ? parsed.data : undefined;
  } catch {
    // A half-written or stale file is as good as none: the defaults still apply.
    return undefined;
  }
}

function findUpwards(start: string, relativePath: string): string | undefined {
  for (let dir = start; ; dir = dirname(dir)) {
    const candidate = join(dir, relativePath);
    if (existsSync(candidate)) return candidate;
    if (dirname(dir) === dir) return undefined;
  }
}
