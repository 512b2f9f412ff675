import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { freePort } from '@kraken/testing';
import { Cluster } from 'ioredis';

const run = promisify(execFile);

/**
 * A Redis Cluster of its own for one test: `masters` redis-server processes in cluster mode (no
 * replicas, no persistence) on free ports in a temporary folder, joined with
 * `redis-cli --cluster create … --cluster-yes`. `stop()` kills them and removes the folder.
 * Needs `redis-server` and `redis-cli` (Redis ≥ 7, for `--cluster-port`) on PATH.
 */
export class LocalRedisCluster {
  /** Seed nodes as REDIS_CLUSTER_NODES expects them: `127.0.0.1:<port>,…`. */
  nodes = '';
  /** A REDIS_URL for the cluster (its first node; the apps take only credentials/TLS from it). */
  url = '';
  private readonly children: ChildProcess[] = [];
  private dir = '';

  constructor(private readonly masters = 3) {}

  /** Starts the servers, creates the cluster and resolves once every node reports `cluster_state:ok`. */
  async start(): Promise<this> {
    this.dir = mkdtempSync(join(tmpdir(), 'kraken-cluster-'));
    const ports: number[] = [];
    for (let i = 0; i < this.masters; i++) {
      const port = await freePort();
      const busPort = await freePort();
      const dir = join(this.dir, String(port));
      mkdirSync(dir);
      const args = ['--port', String(port), '--cluster-port', String(busPort), '--bind', '127.0.0.1', '--cluster-enabled', 'yes',
        '--cluster-config-file', 'nodes.conf', '--save', '', '--appendonly', 'no', '--dir', dir];
      this.children.push(spawn('redis-server', args, { stdio: 'ignore' }));
      ports.push(port);
    }
    for (const port of ports) await waitFor(async () => (await cli(port, 'PING')) === 'PONG', `node ${port} answers PING`);
    await run('redis-cli', ['--cluster', 'create', ...ports.map((p) => `127.0.0.1:${p}`), '--cluster-replicas', '0', '--cluster-yes']);
    for (const port of ports) await waitFor(async () => (await cli(port, 'CLUSTER', 'INFO')).includes('cluster_state:ok'), `node ${port} in a ready cluster`);
    this.nodes = ports.map((p) => `127.0.0.1:${p}`).join(',');
    this.url = `redis://127.0.0.1:${ports[0]}`;
    return this;
  }

  /** A connected client for checks in the test (the caller disconnects it). */
  async client(): Promise<Cluster> {
    const client = new Cluster(this.nodes.split(','), { lazyConnect: true, redisOptions: { maxRetriesPerRequest: 3 } });
    await client.connect();
    return client;
  }

  /** Kills every server and removes the folder. */
  async stop(): Promise<void> {
    await Promise.all(
      this.children.map((child) => {
        if (child.exitCode !== null) return undefined;
        const exited = new Promise((resolve) => child.once('exit', resolve));
        child.kill('SIGKILL');
        return exited;
      }),
    );
    if (this.dir) rmSync(this.dir, { recursive: true, force: true });
  }
}

async function cli(port: number, ...args: string[]): Promise<string> {
  try {
    return (await run('redis-cli', ['-p', String(port), ...args])).stdout.trim();
  } catch {
    return '';
  }
}

async function waitFor(check: () => Promise<boolean>, what: string): Promise<void> {
  for (let i = 0; i < 200; i++) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`Redis Cluster: timed out waiting until ${what}`);
}
