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

/**
 * Spawns `node dist/apps/<name>/src/main.js` with `env` (merged over a clean base) in `cwd` (default
 * ROOT; an app reads `.env` and `prompts/` from its working directory) and waits until a log line
 * matches `ready`. @throws Error with the process's output when it exits or times out first.
 */
export async function startApp(name: keyof typeof APP_ENTRY, env: Record<string, string>, ready: RegExp, timeoutMs = 30_000, cwd = ROOT): Promise<AppProcess> {
  const child = spawn(process.execPath, [appEntryPath(name)], {
    cwd,
    env: { PATH: process.env.PATH ?? '', NODE_ENV: 'test', LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const logs: string[] = [];
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const app: AppProcess = {
    name,
    child,
    logs,
    async stop(signal = 'SIGTERM') {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      return exited;
    },
  };
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => fail(`${name} not ready within ${timeoutMs} ms`), timeoutMs);
    const fail = (why: string) => {
      clearTimeout(timer);
      child.kill('SIGKILL');
      reject(new Error(`${why}\n--- ${name} output ---\n${logs.join('\n').slice(-4000)}`));
    };
    const onData = (chunk: Buffer) => {
      for (const line of chunk.toString().split('\n').filter(Boolean)) {
        logs.push(line);
        if (ready.test(line)) {
          clearTimeout(timer);
          resolve();
        }
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', (code) => fail(`${name} exited with ${code}`));
  });
  return app;
}

