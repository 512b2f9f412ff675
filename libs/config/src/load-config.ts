import { existsSync } from 'node:fs';
import { z } from 'zod';

/** Thrown when the environment does not satisfy a schema; `message` is one line naming each variable. */
export class ConfigError extends Error {
  override name = 'ConfigError';
}

/**
 * Loads `.env` from the working directory into `process.env` (existing variables win), once.
 * Uses Node's own parser (process.loadEnvFile, Node >= 20.12).
 */
export function loadDotEnv(path = '.env'): void {
  if (existsSync(path)) process.loadEnvFile(path);
}

/**
 * Validates `env` against `schema` and returns the typed, defaulted configuration.
 * @throws ConfigError with one line such as `Invalid configuration: BOT_TOKEN: required (...)`.
 */
export function parseConfig<S extends z.ZodType>(schema: S, env: NodeJS.ProcessEnv = process.env): z.infer<S> {
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== ''));
  const result = schema.safeParse(cleaned);
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) => {
    const name = issue.path.join('.') || '(environment)';
    const missing = issue.code === 'invalid_type' && cleaned[name] === undefined;
    return `${name}: ${missing ? 'required' : issue.message}`;
  });
  throw new ConfigError(`Invalid configuration: ${problems.join('; ')}`);
}

/**
 * Loads `.env`, validates the environment and returns the configuration; on error prints the one-line
 * reason to stderr and exits with code 78 (EX_CONFIG), so a wrong start-up never half-starts.
 */
export function loadConfigOrExit<S extends z.ZodType>(schema: S): z.infer<S> {
  loadDotEnv();
  try {
    return parseConfig(schema);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    process.stderr.write(`${error.message}\n`);
    process.exit(78);
  }
}
