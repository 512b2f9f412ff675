import { JobHandlersError } from './check-handlers';

/**
 * `bootstrap().catch(exitOnStartupError)` in an app's main: a JobHandlersError (a worker's handler map
 * does not match the job registry) is printed as its one line; any other error with its stack. Exits
 * with code 1 either way, so open Redis connections cannot keep a half-started app alive.
 */
export function exitOnStartupError(error: unknown): never {
  const text = error instanceof JobHandlersError ? `${error.name}: ${error.message}` : error instanceof Error ? (error.stack ?? error.message) : String(error);
  process.stderr.write(`${text}\n`);
  process.exit(1);
}
