import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { parse, stringify } from 'yaml';
import { z } from 'zod';
import { configError } from '../exit-codes';

// ~/.config/kontor/config.yaml: named profiles of connection settings, one of them current.
// It holds API keys, so it is written readable by its owner only.

const ProfileSchema = z
  .object({
    address: z.string().min(1).optional(),
    apiKey: z.string().min(1).optional(),
    adminToken: z.string().min(1).optional(),
    tenantId: z.string().min(1).optional(),
    kafkaBrokers: z.string().min(1).optional(),
    services: z
      .object({
        import: z.string().min(1).optional(),
        deals: z.string().min(1).optional(),
        reporting: z.string().min(1).optional(),
      })
      .strict()
      .optional(),
  })
  .strict();

const ConfigFileSchema = z
  .object({
    currentProfile: z.string().min(1).optional(),
    profiles: z.record(z.string(), ProfileSchema).default({}),
  })
  .strict();

export type Profile = z.infer<typeof ProfileSchema>;
export type ConfigFile = z.infer<typeof ConfigFileSchema>;

export function configFilePath(env: NodeJS.ProcessEnv = process.env): string {
  if (env['KONTOR_CONFIG']) return env['KONTOR_CONFIG'];
  const base = env['XDG_CONFIG_HOME'] || join(homedir(), '.config');
  return join(base, 'kontor', 'config.yaml');
}

export function readConfigFile(path: string): ConfigFile {
  if (!existsSync(path)) return { profiles: {} };
  let raw: unknown;
  try {
    raw = parse(readFileSync(path, 'utf8')) ?? {};
  } catch (error) {
    throw configError(`${path} is not valid YAML: ${(error as Error).message}`);
  }
  const parsed = ConfigFileSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue?.path.join('.') || '(top level)';
    throw configError(`${path}: ${where}: ${issue?.message ?? 'invalid'}`);
  }
  return parsed.data;
}

export function writeConfigFile(path: string, config: ConfigFile): void {
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  writeFileSync(path, stringify(config), { mode: 0o600 });
  chmodSync(path, 0o600);
}
