import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { join } from 'node:path';
import { apiEnv, gatewayEnv, parseConfig, statsWorkerEnv } from '@kraken/config';
import { freePort, ROOT } from '@kraken/testing';
import { runAppToExit } from '../support/processes';
import { digestWorkerEnv } from '../../apps/digest-worker/src/digest-worker.env';
import { llmWorkerEnv } from '../../apps/llm-worker/src/llm-worker.env';

/** Exit code of a configuration error (EX_CONFIG, sysexits.h). */
const EX_CONFIG = 78;

const GATEWAY = { WEBHOOK_SECRET: 'a-secret_of-16-chars', REDIS_URL: 'redis://127.0.0.1:6379' };

/** Issue 5: a wrong or missing value stops start-up with one clear line naming the variable. */
describe('start-up configuration', () => {
  test('the gateway without BOT_TOKEN prints one line naming it and exits 78', async () => {
    const result = await runAppToExit('gateway', GATEWAY);
    expect(result.code).toBe(EX_CONFIG);
    expect(result.stdout).toBe('');
    expect(result.stderr).toBe('Invalid configuration: BOT_TOKEN: required\n');
  });

  test.each([
    ['SHUTDOWN_GRACE_MS', 'soon', 'SHUTDOWN_GRACE_MS: '],
    ['SENTRY_DSN', 'not a url', 'SENTRY_DSN: expected a Sentry DSN'],
    ['METRICS_ENABLED', 'maybe', 'METRICS_ENABLED: expected true or false'],
    ['ADMIN_USER', 'admin', 'ADMIN_PASSWORD_HASH: required when the other ADMIN_ variable is set'],
    ['ADMIN_PASSWORD_HASH', 'plain-password', 'ADMIN_PASSWORD_HASH: expected an argon2 hash'],
    ['WEBHOOK_SECRET', 'x', 'WEBHOOK_SECRET: expected 16-256 characters of A-Z a-z 0-9 _ -'],
    ['WEBHOOK_SECRET', 'fifteen-chars15', 'WEBHOOK_SECRET: expected 16-256 characters of A-Z a-z 0-9 _ -'],
    ['WEBHOOK_SECRET', 'long enough but has spaces', 'WEBHOOK_SECRET: expected 16-256 characters of A-Z a-z 0-9 _ -'],
  ])('%s=%s is named in one line', async (name, value, expected) => {
    const result = await runAppToExit('gateway', { ...GATEWAY, BOT_TOKEN: '123:abc', [name]: value });
    expect(result.code).toBe(EX_CONFIG);
    expect(result.stderr.split('\n').filter(Boolean)).toHaveLength(1);
    expect(result.stderr).toContain(`Invalid configuration: ${expected}`);
  });

  test('the stats worker without DATABASE_URL names it', async () => {
    const result = await runAppToExit('stats-worker', { REDIS_URL: 'redis://127.0.0.1:6379' });
    expect(result.code).toBe(EX_CONFIG);
    expect(result.stderr).toBe('Invalid configuration: DATABASE_URL: required\n');
  });
});

/** Issue 9: every app has its own default port, and a port already taken stops start-up with one line. */
describe('ports', () => {
  const BASE = { REDIS_URL: 'redis://127.0.0.1:6379', DATABASE_URL: 'postgresql://postgres@127.0.0.1:5432/kraken_unused', BOT_TOKEN: '123:abc' };

  test('the default ports differ per app, and .env.example shows each without imposing one on all', () => {
    const ports = {
      gateway: parseConfig(gatewayEnv, { ...BASE, WEBHOOK_SECRET: 'a-secret_of-16-chars' }).PORT,
      'stats-worker': parseConfig(statsWorkerEnv, BASE).HEALTH_PORT,
      'llm-worker': parseConfig(llmWorkerEnv, BASE).HEALTH_PORT,
      'digest-worker': parseConfig(digestWorkerEnv, BASE).HEALTH_PORT,
      api: parseConfig(apiEnv, { ...BASE, JWT_SECRET: 'x'.repeat(32) }).API_PORT,
    };
    expect(new Set(Object.values(ports)).size).toBe(5);
    const example = readFileSync(join(ROOT, '.env.example'), 'utf8').split('\n');
    // A HEALTH_PORT set in a .env every app reads would give all workers one port.
    expect(example.filter((line) => /^\s*HEALTH_PORT=/.test(line))).toEqual([]);
    for (const name of ['stats-worker', 'llm-worker', 'digest-worker'] as const) {
      expect(example).toContain(`# HEALTH_PORT=${ports[name]}`);
    }
    expect(example).toContain(`PORT=${ports.gateway}`);
    expect(example).toContain(`API_PORT=${ports.api}`);
  });

  describe('a port already in use', () => {
    let taken: Server;
    let port: number;
    beforeAll(async () => {
      port = await freePort();
      taken = createServer();
      await new Promise<void>((resolve) => taken.listen(port, '0.0.0.0', resolve));
    });
    afterAll(() => new Promise<void>((resolve) => taken.close(() => resolve())));

    test.each([
      ['gateway', 'PORT', { WEBHOOK_SECRET: 'a-secret_of-16-chars', HOST: '0.0.0.0' }],
      ['stats-worker', 'HEALTH_PORT', {}],
      ['llm-worker', 'HEALTH_PORT', {}],
      ['digest-worker', 'HEALTH_PORT', {}],
      ['api', 'API_PORT', { JWT_SECRET: 'x'.repeat(32) }],
    ] as const)('%s stops with one line naming %s', async (app, variable, extra) => {
      const result = await runAppToExit(app, { ...BASE, ...extra, [variable]: String(port) });
      expect(result.code).toBe(EX_CONFIG);
      expect(result.stdout).toBe('');
      expect(result.stderr).toBe(`Cannot start: ${variable}=${port} is already in use on 0.0.0.0 (each Kraken app needs its own port; see .env.example)\n`);
    });
  });
});
