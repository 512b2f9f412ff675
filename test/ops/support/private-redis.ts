import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import IORedis from 'ioredis';
import { freePort } from '@kraken/testing';

/**
 * A Redis server of its own for one test, on a random port, with an append-only file fsync'ed on
 * every write (as docker-compose.yml runs Redis in production), so it can be killed and restarted
 * without touching the shared server on 6379 and without losing an acknowledged write.
 */
export class PrivateRedis {
  url = '';
  private port = 0;
  private dir = '';
  private child: ChildProcess | undefined;

  /** Starts the server and resolves once it answers PING. */
  async start(): Promise<this> {
    this.port = await freePort();
    this.dir = mkdtempSync(join(tmpdir(), 'kraken-redis-'));
    this.url = `redis://127.0.0.1:${this.port}`;
    await this.launch();
    return this;
  }

  /** Kills the server (`signal`, default SIGKILL: a crash) and waits until it is gone. */
  async kill(signal: NodeJS.Signals = 'SIGKILL'): Promise<void> {
    const child = this.child;
    this.child = undefined;
    if (!child || child.exitCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill(signal);
    await exited;
  }

  /** Starts the server again on the same port and data folder (it replays its append-only file). */
  async launch(): Promise<void> {
    const args = ['--port', String(this.port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'yes', '--appendfsync', 'always', '--dir', this.dir];
    this.child = spawn('redis-server', args, { stdio: 'ignore' });
    const probe = new IORedis(this.url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
    try {
      for (let i = 0; ; i++) {
        try {
          if (probe.status !== 'ready') await probe.connect();
          if ((await probe.ping()) === 'PONG') return;
        } catch (error) {
          if (i > 100) throw new Error(`private Redis on port ${this.port} did not start: ${String(error)}`);
          probe.disconnect();
          await new Promise((r) => setTimeout(r, 50));
        }
      }
    } finally {
      probe.disconnect();
    }
  }

  /** Kills the server and removes its data folder. */
  async stop(): Promise<void> {
    await this.kill();
    if (this.dir) rmSync(this.dir, { recursive: true, force: true });
  }
}
