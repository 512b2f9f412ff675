import type { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { AccountRepository, hashPassword } from '@kraken/auth';
import { apiEnv, parseConfig } from '@kraken/config';
import { PrismaService } from '@kraken/db';
import { createTestDatabase, FakeLlmServer, type TestDatabase } from '@kraken/testing';
import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { dropPrefix, TEST_REDIS_URL, uniquePrefix } from '../support/redis';

/** A 48-byte JWT secret for tests. */
export const JWT_SECRET = 'test-secret-0123456789abcdef0123456789abcdef-api';

/** One HTTP answer: status, headers and the body parsed as JSON when it is JSON (else the text). */
export interface ApiResponse<T = any> {
  status: number;
  headers: Headers;
  body: T;
  text: string;
}

/** Options of one request. */
export interface RequestOptions {
  body?: unknown;
  /** Sent as is (no JSON encoding), with `contentType`. */
  raw?: string | Buffer;
  contentType?: string;
  token?: string;
  headers?: Record<string, string>;
}

/** A registered and signed-in account. */
export interface TestAccount {
  id: string;
  email: string;
  password: string;
  name: string;
  accessToken: string;
  refreshToken: string;
}

/** Options of ApiHarness.start. */
export interface ApiHarnessOptions {
  /** Extra environment over the defaults (e.g. limits, budgets). */
  env?: Record<string, string>;
  /** Start the fake LLM as provider `fake` (default true); false leaves the API without any provider. */
  llm?: boolean;
  /** Reuse this database and prefix (a harness sharing a deployment); default: new ones, dropped at stop. */
  shared?: { databaseUrl: string; prefix: string };
}

/**
 * The API app (ApiModule with main.ts's HTTP layer) in this jest process, listening on a real port
 * on 127.0.0.1, with its own PostgreSQL database, Redis prefix and a fake OpenAI-compatible LLM.
 * Requests go over real HTTP (fetch). One harness per spec file: ConfigModule reads process.env
 * when ApiModule is first imported.
 */
export class ApiHarness {
  readonly llm = new FakeLlmServer();
  env: Record<string, string> = {};
  app?: INestApplication;
  baseUrl = '';
  prisma?: PrismaService;
  private db?: TestDatabase;
  private counter = 0;

  async start(options: ApiHarnessOptions = {}): Promise<this> {
    const withLlm = options.llm ?? true;
    if (withLlm) await this.llm.start();
    if (!options.shared) this.db = await createTestDatabase();
    this.env = {
      NODE_ENV: 'test',
      LOG_LEVEL: 'silent',
      REDIS_URL: TEST_REDIS_URL,
      QUEUE_PREFIX: options.shared?.prefix ?? uniquePrefix('kapi'),
      DATABASE_URL: options.shared?.databaseUrl ?? this.db!.url,
      DATABASE_POOL_SIZE: '8',
      JWT_SECRET,
      KRAKEN_TIMEZONE: 'Europe/Moscow',
      LLM_PROVIDERS: withLlm ? 'fake' : 'openai',
      ...(withLlm ? { LLM_FAKE_BASE_URL: this.llm.baseUrl, LLM_FAKE_API_KEY: 'sk-fake' } : {}),
      LLM_TIMEOUT_MS: '3000',
      LLM_MAX_RETRIES: '0',
      ASK_LIMIT: '1000',
      REGISTER_LIMIT: '1000',
      LOGIN_IP_LIMIT: '1000',
      ...options.env,
    };
    for (const key of Object.keys(process.env)) if (key.startsWith('LLM_') || key.startsWith('API_')) delete process.env[key];
    Object.assign(process.env, this.env);
    const config = parseConfig(apiEnv, process.env);
    const { ApiModule } = await import('../../apps/api/src/api.module');
    const { configureApi } = await import('../../apps/api/src/configure-api');
    const app = await NestFactory.create<NestExpressApplication>(ApiModule, { bodyParser: false, logger: ['error'] });
    configureApi(app, config);
    await app.listen(0, '127.0.0.1');
    this.app = app;
    this.baseUrl = `http://127.0.0.1:${(app.getHttpServer().address() as AddressInfo).port}`;
    this.prisma = app.get(PrismaService);
    return this;
  }

  /** Sends one request; the body is JSON-encoded unless `raw` is given. */
  async request<T = any>(method: string, path: string, options: RequestOptions = {}): Promise<ApiResponse<T>> {
    const headers: Record<string, string> = { ...options.headers };
    let body: string | Buffer | undefined;
    if (options.raw !== undefined) {
      body = options.raw;
      if (options.contentType) headers['content-type'] = options.contentType;
    } else if (options.body !== undefined) {
      body = JSON.stringify(options.body);
      headers['content-type'] = options.contentType ?? 'application/json';
    }
    if (options.token) headers.authorization = `Bearer ${options.token}`;
    const res = await fetch(`${this.baseUrl}${path}`, { method, headers, body });
    const text = await res.text();
    let parsed: unknown = text;
    if (res.headers.get('content-type')?.includes('application/json') && text) parsed = JSON.parse(text);
    return { status: res.status, headers: res.headers, body: parsed as T, text };
  }

  /** A unique email for this harness. */
  email(label = 'user'): string {
    return `${label}-${++this.counter}-${randomBytes(3).toString('hex')}@example.com`;
  }

  /** Registers and signs in a new account. @throws when either step fails */
  async account(overrides: { email?: string; password?: string; name?: string } = {}): Promise<TestAccount> {
    const email = overrides.email ?? this.email();
    const password = overrides.password ?? 'correct horse battery staple';
    const name = overrides.name ?? 'Test User';
    const registered = await this.request('POST', '/auth/register', { body: { email, password, name } });
    if (registered.status !== 201) throw new Error(`register: ${registered.status} ${registered.text}`);
    return { id: registered.body.id, email, password, name, ...(await this.login(email, password)) };
  }

  /** Creates an admin the way `kraken users create-admin` does (repository + argon2id) and signs it in. */
  async admin(): Promise<TestAccount> {
    const email = this.email('admin');
    const password = 'admin password 1234';
    const created = await new AccountRepository(this.prisma!).create({ email, name: 'Admin', passwordHash: await hashPassword(password), role: 'admin' });
    return { id: created.id, email, password, name: 'Admin', ...(await this.login(email, password)) };
  }

  /** Signs in. @throws when login fails */
  async login(email: string, password: string): Promise<{ accessToken: string; refreshToken: string }> {
    const res = await this.request('POST', '/auth/login', { body: { email, password } });
    if (res.status !== 200) throw new Error(`login: ${res.status} ${res.text}`);
    return { accessToken: res.body.accessToken, refreshToken: res.body.refreshToken };
  }

  async stop(): Promise<void> {
    await this.app?.close();
    await this.llm.stop();
    if (this.db) {
      await dropPrefix(this.env.QUEUE_PREFIX).catch(() => undefined);
      await this.db.drop();
    }
  }
}

/** Asserts the one error shape (and that no stack trace or internal detail leaks). */
export function expectErrorShape(res: ApiResponse, status: number): void {
  expect(res.status).toBe(status);
  expect(res.headers.get('content-type')).toContain('application/json');
  expect(Object.keys(res.body).filter((k) => k !== 'fields').sort()).toEqual(['error', 'message', 'statusCode']);
  expect(res.body.statusCode).toBe(status);
  expect(typeof res.body.error).toBe('string');
  expect(typeof res.body.message).toBe('string');
  expect(res.text).not.toMatch(/\bat .+\.(js|ts):\d+|node_modules|Error: /);
}
