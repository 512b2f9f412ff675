import { createServer } from 'node:net';

/** Exit code of a start-up the configuration prevents (EX_CONFIG, sysexits.h), as loadConfigOrExit uses. */
const EX_CONFIG = 78;

/**
 * Why `port` cannot be listened on at `host`: `in use` (EADDRINUSE), `not permitted` (EACCES, e.g. a
 * port below 1024 without the right), another error's code, or null when it is free. Port 0 (any free
 * port) is always free. Binds a server for a moment and closes it again.
 */
export async function portProblem(port: number, host: string): Promise<string | null> {
  if (port === 0) return null;
  const server = createServer();
  return new Promise((resolve) => {
    server.once('error', (error: NodeJS.ErrnoException) =>
      resolve(error.code === 'EADDRINUSE' ? 'is already in use' : error.code === 'EACCES' ? 'is not permitted' : `cannot be used (${error.code ?? error.message})`),
    );
    server.listen({ port, host, exclusive: true }, () => server.close(() => resolve(null)));
  });
}

/**
 * Checks, before an app builds anything, that the HTTP port named by `variable` (PORT, HEALTH_PORT)
 * can be listened on; otherwise prints one line naming the variable, e.g.
 * `Cannot start: HEALTH_PORT=9464 is already in use on 0.0.0.0 (each Kraken app needs its own port; see .env.example)`,
 * and exits with code 78, as for an invalid configuration.
 */
export async function exitIfPortUnavailable(variable: string, port: number, host: string): Promise<void> {
  const problem = await portProblem(port, host);
  if (!problem) return;
  process.stderr.write(`Cannot start: ${variable}=${port} ${problem} on ${host} (each Kraken app needs its own port; see .env.example)\n`);
  process.exit(EX_CONFIG);
}
