import { createTestDatabase, FakeLlmServer, type TestDatabase } from '@kraken/testing';
import { metricValue } from '../ops/support/prometheus';
import { freePort, runAppToExit, startApp, type AppProcess } from '../support/processes';
import { dropPrefix, TEST_REDIS_URL, uniquePrefix } from '../support/redis';
import { JWT_SECRET } from './api-harness';

/** Runs the API with exactly `env` in an empty folder (no .env) and resolves with its exit code and output. */
async function runApi(env: Record<string, string>): Promise<{ code: number | null; output: string }> {
  const { code, stdout, stderr } = await runAppToExit('api', env);
  return { code, output: stdout + stderr };
}

const jsonLines = (logs: string[]): Array<Record<string, any>> =>
  logs.flatMap((line) => {
    try {
      return [JSON.parse(line)];
    } catch {
      return [];
    }
  });

/** Issue 12: the API as its own process: configuration, logs, metrics, health, CORS and graceful shutdown. */
describe('the api process', () => {
  const llm = new FakeLlmServer();
  const prefix = uniquePrefix('kapiproc');
  let db: TestDatabase;
  let api: AppProcess;
  let base: string;
  let env: Record<string, string>;

  beforeAll(async () => {
    await llm.start();
    db = await createTestDatabase();
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    env = {
      REDIS_URL: TEST_REDIS_URL,
      QUEUE_PREFIX: prefix,
      DATABASE_URL: db.url,
      JWT_SECRET,
      API_PORT: String(port),
      API_HOST: '127.0.0.1',
      API_CORS_ORIGINS: 'https://admin.example.com',
      LLM_PROVIDERS: 'fake',
      LLM_FAKE_BASE_URL: llm.baseUrl,
      LLM_FAKE_API_KEY: 'sk-fake-process',
      SHUTDOWN_GRACE_MS: '10000',
      LOG_LEVEL: 'info',
    };
    api = await startApp('api', env);
  });
  afterAll(async () => {
    await api?.stop();
    await llm.stop();
    await dropPrefix(prefix);
    await db.drop();
  });

  const post = (path: string, body: unknown, headers: Record<string, string> = {}) =>
    fetch(`${base}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });

  it('stops at start-up with one line and exit code 78 without a JWT_SECRET of 32 bytes, or with a bad CORS origin', async () => {
    const base = { REDIS_URL: TEST_REDIS_URL, DATABASE_URL: db.url };
    const missing = await runApi(base);
    expect(missing).toEqual({ code: 78, output: 'Invalid configuration: JWT_SECRET: required\n' });
    const short = await runApi({ ...base, JWT_SECRET: 'x'.repeat(31) });
    expect(short.code).toBe(78);
    expect(short.output).toBe('Invalid configuration: JWT_SECRET: expected at least 32 bytes (e.g. openssl rand -base64 48)\n');
    const cors = await runApi({ ...base, JWT_SECRET, API_CORS_ORIGINS: 'admin.example.com' });
    expect(cors.code).toBe(78);
    expect(cors.output).toMatch(/^Invalid configuration: API_CORS_ORIGINS\.0: expected origins/);
  });

  it('answers health, and CORS only for the configured origin', async () => {
    expect((await fetch(`${base}/health/live`)).status).toBe(200);
    const ready = await fetch(`${base}/health/ready`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({ status: 'ok', info: { redis: { status: 'up' }, postgres: { status: 'up' } } });
    const allowed = await fetch(`${base}/auth/login`, { method: 'OPTIONS', headers: { origin: 'https://admin.example.com', 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type,authorization' } });
    expect(allowed.headers.get('access-control-allow-origin')).toBe('https://admin.example.com');
    expect(allowed.headers.get('access-control-allow-headers')).toContain('Authorization');
    const other = await fetch(`${base}/auth/login`, { method: 'OPTIONS', headers: { origin: 'https://evil.example', 'access-control-request-method': 'POST' } });
    expect(other.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('logs JSON lines with request ids and never a password, token or question text', async () => {
    const password = 'p4ssw0rd-that-must-not-leak';
    const email = 'logs@example.com';
    const question = 'a question text that must not be logged';
    expect((await post('/auth/register', { email, password, name: 'Logs' }, { 'x-request-id': 'req-register-1' })).status).toBe(201);
    const tokens = (await (await post('/auth/login', { email, password })).json()) as { accessToken: string; refreshToken: string };
    expect((await post('/auth/login', { email, password: `${password}-wrong` })).status).toBe(401);
    const asked = await post('/questions', { text: question }, { authorization: `Bearer ${tokens.accessToken}` });
    expect(asked.status).toBe(201);
    const refreshed = await post('/auth/refresh', { refreshToken: tokens.refreshToken });
    expect(refreshed.status).toBe(200);
    await new Promise((resolve) => setTimeout(resolve, 300));
    const lines = jsonLines(api.logs);
    const requests = lines.filter((l) => l.msg === 'request completed');
    const register = requests.find((l) => l.req?.url === '/auth/register');
    expect(register).toMatchObject({ req: { id: 'req-register-1', method: 'POST' }, res: { statusCode: 201 }, responseTime: expect.any(Number) });
    const ask = requests.find((l) => l.req?.url === '/questions')!;
    expect(ask.req).not.toHaveProperty('headers');
    expect(ask.req.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(ask.req.id).toBe(asked.headers.get('x-request-id'));
    const all = api.logs.join('\n');
    for (const secret of [password, tokens.accessToken, tokens.refreshToken, tokens.accessToken.split('.')[2], question, 'sk-fake-process', JWT_SECRET]) expect(all).not.toContain(secret);
  });

  it('counts requests by route and status and times them in /metrics', async () => {
    await fetch(`${base}/questions/00000000-0000-4000-8000-000000000000`);
    await post('/auth/register', { email: 'big@example.com', password: 'x'.repeat(10), name: 'x'.repeat(70_000) });
    await fetch(`${base}/no/such/route`);
    const metrics = await (await fetch(`${base}/metrics`)).text();
    const count = (labels: Record<string, string>) => metricValue(metrics, 'kraken_http_requests_total', { app: 'api', ...labels });
    expect(count({ method: 'POST', route: '/auth/register', status: '201' })).toBe(1);
    expect(count({ method: 'POST', route: '/auth/login', status: '401' })).toBe(1);
    expect(count({ method: 'POST', route: '/questions', status: '201' })).toBe(1);
    expect(count({ method: 'GET', route: '/questions/:id', status: '401' })).toBe(1);
    expect(count({ method: 'POST', route: '(unmatched)', status: '413' })).toBe(1);
    expect(count({ method: 'GET', route: '(unmatched)', status: '404' })).toBe(1);
    expect(metricValue(metrics, 'kraken_http_request_duration_seconds_count', { app: 'api', method: 'POST', route: '/questions' })).toBe(1);
    expect(metricValue(metrics, 'kraken_llm_tokens_total', { app: 'api', model: 'gpt-4o-mini', kind: 'prompt' })).toBeGreaterThan(0);
  });

  it('on SIGTERM finishes a running stream, then exits 0', async () => {
    const email = 'drain@example.com';
    const password = 'drain password 123';
    await post('/auth/register', { email, password, name: 'Drain' });
    const { accessToken } = (await (await post('/auth/login', { email, password })).json()) as { accessToken: string };
    llm.script({ text: 'slow answer in six pieces', chunkDelayMs: 300 });
    const streamed = fetch(`${base}/questions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${accessToken}`, 'content-type': 'application/json', accept: 'text/event-stream' },
      body: JSON.stringify({ text: 'take your time' }),
    }).then((r) => r.text());
    await llm.waitForRequests(llm.requests.length + 1, 10_000);
    const exited = api.stop('SIGTERM');
    const body = await streamed;
    expect(body).toContain('event: done');
    expect(body).toContain('slow answer in six pieces');
    expect(await exited).toBe(0);
    expect(jsonLines(api.logs).some((l) => /SIGTERM received/.test(l.msg))).toBe(true);
  });
});
