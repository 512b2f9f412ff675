import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { join } from 'node:path';

/** Repository root, from tools/dev/testing or its compiled twin in dist/tools/dev/testing. */
export const ROOT = join(__dirname, ...(__dirname.includes(join('dist', 'tools')) ? ['..', '..', '..', '..'] : ['..', '..', '..']));

/** A Kraken app running as its own OS process from dist/ (npm run build). */
export interface AppProcess {
  name: string;
  child: ChildProcess;
  /** stdout + stderr lines so far. */
  logs: string[];
  /** The port its `/health/ready` (and, for the gateway, the webhook; for the api, the API) is on. */
  healthPort: number;
  /** Sends `signal` and resolves with the exit code (null when killed by a signal). */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

/** Compiled entry points of the apps, relative to ROOT. */
export const APP_ENTRY = {
  gateway: 'dist/apps/gateway/src/main.js',
  'stats-worker': 'dist/apps/stats-worker/src/main.js',
  'llm-worker': 'dist/apps/llm-worker/src/main.js',
  'digest-worker': 'dist/apps/digest-worker/src/main.js',
  api: 'dist/apps/api/src/main.js',
} as const;

/**
 * Absolute path of an app's compiled entry point: under ROOT (`dist/…`), or, when the environment
 * variable KRAKEN_DIST_ROOT names another build folder (e.g. a private `tsc --outDir` build that leaves
 * the shared dist/ alone), the same relative path under that folder.
 */
export function appEntryPath(name: keyof typeof APP_ENTRY): string {
  const distRoot = process.env.KRAKEN_DIST_ROOT;
  return distRoot ? join(distRoot, APP_ENTRY[name].replace(/^dist\//, '')) : join(ROOT, APP_ENTRY[name]);
}

/** A free TCP port on 127.0.0.1. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });
}

/** The variable holding the port each app serves `/health/ready` on. */
export const HEALTH_PORT_VARIABLE = {
  gateway: 'PORT',
  'stats-worker': 'HEALTH_PORT',
  'llm-worker': 'HEALTH_PORT',
  'digest-worker': 'HEALTH_PORT',
  api: 'API_PORT',
} as const satisfies Record<keyof typeof APP_ENTRY, string>;

/** Options of startApp. */
export interface StartAppOptions {
  /** How long the app may take to report ready; default 30 s. */
  timeoutMs?: number;
  /** Working directory (an app reads `.env` and `prompts/` from it); default ROOT. */
  cwd?: string;
}

/**
 * Spawns `node dist/apps/<name>/src/main.js` with `env` (merged over a clean base) and waits until its
 * `GET /health/ready` on 127.0.0.1 answers 200 (every dependency up, its workers started). The port is
 * the app's HEALTH_PORT_VARIABLE from `env`; when that is unset or `0`, a free port is chosen and put in
 * the app's environment. @returns the process, with `healthPort`. @throws Error with the process's
 * output when it exits or is not ready within `timeoutMs`.
 */
export async function startApp(name: keyof typeof APP_ENTRY, env: Record<string, string>, options: StartAppOptions = {}): Promise<AppProcess> {
  const { timeoutMs = 30_000, cwd = ROOT } = options;
  const variable = HEALTH_PORT_VARIABLE[name];
  const healthPort = env[variable] && env[variable] !== '0' ? Number(env[variable]) : await freePort();
  const child = spawn(process.execPath, [appEntryPath(name)], {
    cwd,
    env: { PATH: process.env.PATH ?? '', NODE_ENV: 'test', LOG_LEVEL: 'info', ...env, [variable]: String(healthPort) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const logs: string[] = [];
  const collect = (chunk: Buffer) => logs.push(...chunk.toString().split('\n').filter(Boolean));
  child.stdout!.on('data', collect);
  child.stderr!.on('data', collect);
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const app: AppProcess = {
    name,
    child,
    logs,
    healthPort,
    async stop(signal = 'SIGTERM') {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      return exited;
    },
  };
  const deadline = Date.now() + timeoutMs;
  let exitCode: number | null | undefined;
  void exited.then((code) => (exitCode = code));
  for (;;) {
    if (exitCode !== undefined || child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`${name} exited with ${child.exitCode ?? child.signalCode}\n--- ${name} output ---\n${logs.join('\n').slice(-4000)}`);
    }
    if (await isReady(healthPort)) return app;
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`${name} not ready within ${timeoutMs} ms\n--- ${name} output ---\n${logs.join('\n').slice(-4000)}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Whether `GET http://127.0.0.1:<port>/health/ready` answers 200 (false when nothing listens yet). */
async function isReady(port: number): Promise<boolean> {
  try {
    const response = await fetch(`http://127.0.0.1:${port}/health/ready`, { signal: AbortSignal.timeout(2_000) });
    await response.arrayBuffer();
    return response.status === 200;
  } catch {
    return false;
  }
}
