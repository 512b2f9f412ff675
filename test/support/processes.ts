import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { appEntryPath, ROOT, type APP_ENTRY } from '@kraken/testing';

export { appEntryPath, freePort, postUpdate, ROOT, startApp, waitForQueueIdle, type AppProcess, type StartAppOptions } from '@kraken/testing';

/** Exit code and output of a process run to its end. */
export interface ProcessResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Options of runCli. */
export interface RunCliOptions {
  /** Working directory (the CLI reads `.env` from it); default ROOT. */
  cwd?: string;
  /** Text piped to its standard input (default: none, stdin closed). */
  stdin?: string;
}

/**
 * Runs the built CLI (`kraken …`: `bin/kraken.js`, or `apps/cli/src/main.js` under KRAKEN_DIST_ROOT for
 * a private build) with exactly `env` (plus PATH); resolves with its exit code and output.
 */
export function runCli(args: string[], env: Record<string, string>, options: RunCliOptions = {}): Promise<ProcessResult> {
  const distRoot = process.env.KRAKEN_DIST_ROOT;
  const entry = distRoot ? join(distRoot, 'apps', 'cli', 'src', 'main.js') : join(ROOT, 'bin', 'kraken.js');
  return run(entry, args, env, options.cwd ?? ROOT, options.stdin);
}

/**
 * Runs an app with exactly `env` (plus PATH) in an empty folder, so no `.env` file is read, until it
 * exits (a start-up that fails); resolves with its exit code and output.
 */
export async function runAppToExit(name: keyof typeof APP_ENTRY, env: Record<string, string>): Promise<ProcessResult> {
  const cwd = mkdtempSync(join(tmpdir(), 'kraken-config-'));
  try {
    return await run(appEntryPath(name), [], env, cwd);
  } finally {
    rmSync(cwd, { recursive: true, force: true });
  }
}

async function run(entry: string, args: string[], env: Record<string, string>, cwd: string, stdin?: string): Promise<ProcessResult> {
  const child = spawn(process.execPath, [entry, ...args], { cwd, env: { PATH: process.env.PATH ?? '', ...env }, stdio: [stdin === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (c) => (stdout += c));
  child.stderr!.on('data', (c) => (stderr += c));
  if (stdin !== undefined) child.stdin!.end(stdin);
  // 'close': the process exited and its output is read to the end.
  const code = await new Promise<number | null>((resolve) => child.once('close', resolve));
  return { code, stdout, stderr };
}
