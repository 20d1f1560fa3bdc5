import { type z } from 'zod';

// Config is read from the environment once, at boot, and every problem is reported together so an
// operator fixes a deployment in one round instead of one variable per restart.
export class ConfigError extends Error {
  constructor(
    readonly service: string,
    readonly problems: string[],
  ) {
    super(`Invalid configuration for ${service}:\n  - ${problems.join('\n  - ')}`);
    this.name = 'ConfigError';
  }
}

export function loadConfig<Schema extends z.ZodType>(
  service: string,
  schema: Schema,
  env: Record<string, string | undefined> = process.env,
): z.infer<Schema> {
  const parsed = schema.safeParse(env);
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues.map((issue) => {
    const variable = issue.path.join('.') || '(environment)';
    const missing = issue.path.length === 1 && env[variable] === undefined;
    return `${variable}: ${missing ? 'is required but missing' : issue.message}`;
  });
  throw new ConfigError(service, problems);
}
