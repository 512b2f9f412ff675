import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { Queue } from 'bullmq';

/** Repository root (tests run with cwd = root, but do not rely on it). */
export const ROOT = join(__dirname, '..', '..');

/** A Kraken app running as its own OS process from dist/ (npm run build). */
export interface AppProcess {
  name: string;
  child: ChildProcess;
  /** stdout + stderr lines so far. */
  logs: string[];
  /** Sends `signal` and resolves with the exit code (null when killed by a signal). */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

const ENTRY: Record<string, string> = {
  gateway: 'dist/apps/gateway/src/main.js',
  'stats-worker': 'dist/apps/stats-worker/src/main.js',
};

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
 * Spawns `node dist/apps/<name>/src/main.js` with `env` (merged over a clean base) and waits until a
 * log line matches `ready`. @throws Error with the process's output when it exits or times out first.
 */
export async function startApp(name: keyof typeof ENTRY, env: Record<string, string>, ready: RegExp, timeoutMs = 30_000): Promise<AppProcess> {
  const child = spawn(process.execPath, [join(ROOT, ENTRY[name])], {
    cwd: ROOT,
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

/** Runs the built CLI (`node bin/kraken.js …`); resolves with exit code and output. */
export async function runCli(args: string[], env: Record<string, string>): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, [join(ROOT, 'bin', 'kraken.js'), ...args], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (c) => (stdout += c));
  child.stderr.on('data', (c) => (stderr += c));
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  return { code, stdout, stderr };
}

/**
 * Waits until a queue has no waiting, active, delayed (other than job-scheduler ticks), prioritized or
 * waiting-children jobs on two checks in a row. @throws Error with the counts on timeout.
 */
export async function waitForQueueIdle(redisUrl: string, prefix: string, queueName: string, timeoutMs = 120_000): Promise<void> {
  const u = new URL(redisUrl);
  const queue = new Queue(queueName, { connection: { host: u.hostname, port: Number(u.port || 6379) }, prefix });
  const deadline = Date.now() + timeoutMs;
  let idleChecks = 0;
  let counts: Record<string, number> = {};
  try {
    while (Date.now() < deadline) {
      counts = await queue.getJobCounts('wait', 'active', 'prioritized', 'waiting-children', 'paused');
      // Job schedulers keep their next tick as a delayed job (id "repeat:…"); only other delayed jobs count.
      counts.delayed = (await queue.getDelayed()).filter((job) => !String(job.id).startsWith('repeat:')).length;
      idleChecks = Object.values(counts).every((n) => n === 0) ? idleChecks + 1 : 0;
      if (idleChecks >= 2) return;
      await new Promise((r) => setTimeout(r, 250));
    }
    throw new Error(`queue ${queueName} not idle after ${timeoutMs} ms: ${JSON.stringify(counts)}`);
  } finally {
    await queue.close();
  }
}
