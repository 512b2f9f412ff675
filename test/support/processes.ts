import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { ROOT } from '@kraken/testing';

export { freePort, postUpdate, ROOT, startApp, waitForQueueIdle, type AppProcess, type StartAppOptions } from '@kraken/testing';

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

