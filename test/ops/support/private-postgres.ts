import { execFile } from 'node:child_process';
import { chownSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { applyMigrations, ensureDatabase } from '@kraken/db';
import { freePort } from '@kraken/testing';

const run = promisify(execFile);

/** PostgreSQL 15's server binaries (Debian's postgresql-15 package); PG_BIN overrides. */
const PG_BIN = process.env.PG_BIN ?? '/usr/lib/postgresql/15/bin';
const MIGRATIONS_DIR = resolve(__dirname, '..', '..', '..', 'prisma', 'migrations');

/**
 * A PostgreSQL server of its own for one test (initdb in a temporary folder, a random port, trust
 * authentication, listening on 127.0.0.1 only), so it can be crashed and restarted without touching
 * the shared server on 5432. As root, the server runs as the `postgres` OS user (initdb refuses root).
 */
export class PrivatePostgres {
  /** URL of the migrated `kraken` database. */
  url = '';
  private dir = '';
  private port = 0;

  /** Creates the cluster, starts it, creates and migrates the `kraken` database. */
  async start(): Promise<this> {
    this.port = await freePort();
    this.dir = mkdtempSync(join(tmpdir(), 'kraken-pg-'));
    if (userInfo().uid === 0) {
      const { stdout } = await run('id', ['-u', 'postgres']);
      const { stdout: gid } = await run('id', ['-g', 'postgres']);
      chownSync(this.dir, Number(stdout.trim()), Number(gid.trim()));
    }
    await this.pg('initdb', ['-D', this.data, '-A', 'trust', '-U', 'postgres', '--no-sync', '-E', 'UTF8']);
    await this.launch();
    this.url = `postgresql://postgres@127.0.0.1:${this.port}/kraken`;
    await ensureDatabase(this.url);
    await applyMigrations({ databaseUrl: this.url, migrationsDir: MIGRATIONS_DIR, log: () => undefined });
    return this;
  }

  /** Starts the server and waits until it accepts connections. */
  async launch(): Promise<void> {
    const options = `-p ${this.port} -c listen_addresses=127.0.0.1 -c unix_socket_directories=${this.dir} -c max_connections=200`;
    await this.pg('pg_ctl', ['-D', this.data, '-o', options, '-l', join(this.dir, 'server.log'), '-w', '-t', '60', 'start']);
  }

  /**
   * Stops the server. `immediate` is a crash as far as clients are concerned (every session is cut
   * at once and the next start runs crash recovery); `fast` rolls back open transactions and shuts
   * down cleanly.
   */
  async halt(mode: 'immediate' | 'fast' = 'immediate'): Promise<void> {
    await this.pg('pg_ctl', ['-D', this.data, '-m', mode, '-w', 'stop']);
  }

  /** Stops the server (if running) and removes its folder. */
  async stop(): Promise<void> {
    if (!this.dir) return;
    await this.halt('immediate').catch(() => undefined);
    rmSync(this.dir, { recursive: true, force: true });
  }

  private get data(): string {
    return join(this.dir, 'data');
  }

  private async pg(binary: string, args: string[]): Promise<void> {
    const path = join(PG_BIN, binary);
    if (userInfo().uid === 0) await run('runuser', ['-u', 'postgres', '--', path, ...args], { cwd: this.dir });
    else await run(path, args, { cwd: this.dir });
  }
}
