import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DEFAULT_SHUTDOWN_GRACE_MS } from '@kraken/config';
import { ROOT } from '@kraken/testing';
import { parse } from 'yaml';

interface Service {
  build?: unknown;
  image?: string;
  command?: string[];
  environment?: Record<string, string>;
  env_file?: string | string[];
  restart?: string;
  healthcheck?: { test?: unknown };
  depends_on?: Record<string, { condition?: string }>;
  ports?: string[];
  container_name?: string;
  stop_grace_period?: string;
  volumes?: string[];
}

const read = (file: string) => readFileSync(join(ROOT, file), 'utf8');
const compose = parse(read('docker-compose.yml'), { merge: true }) as { services: Record<string, Service> };
const services = Object.entries(compose.services);
/** Services running Kraken's image (built from the Dockerfile). */
const appServices = services.filter(([, s]) => s.build !== undefined);
/** Kraken apps that run until stopped (everything but one-shot jobs such as `migrate`). */
const longRunning = appServices.filter(([, s]) => s.restart !== 'no');
const workers = longRunning.filter(([name]) => name.endsWith('-worker'));

/** Variable names whose values are secrets. */
const SECRET_NAME = /TOKEN|SECRET|PASSWORD|API_KEY|DSN|HASH|PRIVATE/;
/** A compose interpolation of one variable, `${NAME}` or with a default/error clause. */
const INTERPOLATION = /^\$\{[A-Z0-9_]+(:?[-?][^}]*)?\}$/;
/** Shapes of real secrets that must never be written in the file: bot tokens, API keys, hashes. */
const SECRET_SHAPES = [/\b\d{6,}:[A-Za-z0-9_-]{30,}\b/, /\bsk-[A-Za-z0-9_-]{16,}/, /\$argon2/, /https?:\/\/[0-9a-f]{32}@/];

/** Seconds of a compose duration such as `30s`, `1m30s`. */
function seconds(duration: string): number {
  return [...duration.matchAll(/(\d+)(h|m|s)/g)].reduce((sum, [, n, unit]) => sum + Number(n) * { h: 3600, m: 60, s: 1 }[unit as 'h' | 'm' | 's'], 0);
}

/** Issue 5: docker-compose.yml runs the whole system, safely and scalably. */
describe('docker-compose.yml', () => {
  test('runs postgres, redis, the migration, the gateway, every worker and the API', () => {
    expect(Object.keys(compose.services).sort()).toEqual(
      ['api', 'digest-worker', 'gateway', 'llm-worker', 'migrate', 'postgres', 'redis', 'stats-worker'].sort(),
    );
  });

  test.each(longRunning)('%s has a health check, a restart policy and waits for healthy dependencies', (_name, service) => {
    expect(service.healthcheck?.test).toBeDefined();
    expect(['unless-stopped', 'always', 'on-failure']).toContain(service.restart);
    const conditions = Object.values(service.depends_on ?? {}).map((d) => d.condition);
    expect(conditions).toContain('service_healthy');
    for (const condition of conditions) expect(['service_healthy', 'service_completed_successfully']).toContain(condition);
  });

  test.each(longRunning)('%s gets SIGKILL only after the shutdown grace period', (_name, service) => {
    expect(seconds(service.stop_grace_period ?? '10s') * 1000).toBeGreaterThan(DEFAULT_SHUTDOWN_GRACE_MS + 5000);
  });

  test('the migration runs once, before the apps that use PostgreSQL', () => {
    const migrate = compose.services.migrate;
    expect(migrate.restart).toBe('no');
    expect(migrate.depends_on?.postgres?.condition).toBe('service_healthy');
    for (const [, worker] of workers) expect(worker.depends_on?.migrate?.condition).toBe('service_completed_successfully');
  });

  test('postgres and redis keep their data in volumes, redis with an append-only file and no eviction', () => {
    for (const name of ['postgres', 'redis']) {
      const service = compose.services[name];
      expect(service.healthcheck?.test).toBeDefined();
      expect(service.restart).toBe('unless-stopped');
      expect(service.volumes?.length).toBeGreaterThan(0);
    }
    const redis = (compose.services.redis.command ?? []).join(' ');
    expect(redis).toContain('--appendonly yes');
    expect(redis).toContain('--maxmemory-policy noeviction');
  });

  test('workers scale: no fixed container name, no published port', () => {
    expect(workers.length).toBeGreaterThanOrEqual(3);
    for (const [, worker] of workers) {
      expect(worker.container_name).toBeUndefined();
      expect(worker.ports).toBeUndefined();
    }
  });

  test('no secret literal: secrets come from the env file or an interpolated variable', () => {
    for (const [, service] of appServices) expect(service.env_file).toBe('.env');
    for (const [name, service] of services) {
      for (const [key, value] of Object.entries(service.environment ?? {})) {
        if (SECRET_NAME.test(key)) expect({ service: name, key, value: INTERPOLATION.test(value) }).toEqual({ service: name, key, value: true });
        const credentials = /^[a-z]+:\/\/[^:/@]+:([^@]+)@/.exec(value);
        if (credentials) expect({ service: name, key, password: INTERPOLATION.test(credentials[1]) }).toEqual({ service: name, key, password: true });
      }
    }
    const text = read('docker-compose.yml');
    for (const shape of SECRET_SHAPES) expect(text).not.toMatch(shape);
  });

  test('the image bakes in no secret and never sees .env', () => {
    const dockerfile = read('Dockerfile');
    for (const line of dockerfile.split('\n').filter((l) => /^\s*(ENV|ARG)\b/.test(l))) expect(line).not.toMatch(SECRET_NAME);
    expect(dockerfile).not.toMatch(/COPY[^\n]*\.env/);
    expect(read('.dockerignore').split('\n')).toContain('.env');
  });
});
