import { randomBytes } from 'node:crypto';
import { request } from 'node:http';
import * as argon2 from 'argon2';
import { Queue } from 'bullmq';
import { QueueName } from '@kraken/contracts';
import { redisConnection } from '@kraken/redis';
import { Deployment, SECRET } from './support/deployment';
import { FakeSentry } from './support/fake-sentry';
import { metricValue } from './support/prometheus';

const GROUP = -1009990011;

function groupMessage(updateId: number): Record<string, unknown> {
  return {
    update_id: updateId,
    message: {
      message_id: updateId,
      date: Math.floor(Date.now() / 1000),
      chat: { id: GROUP, type: 'supergroup', title: 'Ops test' },
      from: { id: 4242, is_bot: false, first_name: 'Tester' },
      text: `secret text ${updateId}`,
    },
  };
}

/** The JSON log lines of a process. */
const jsonLines = (logs: string[]): Record<string, any>[] =>
  logs.flatMap((line) => {
    try {
      return [JSON.parse(line)];
    } catch {
      return [];
    }
  });

/** GET `url` from the local address `localAddress`; resolves with the status and Retry-After. */
function getFrom(localAddress: string, url: string, headers: Record<string, string>): Promise<{ status: number; retryAfter?: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { localAddress, headers }, (res) => {
      res.resume();
      res.on('end', () => resolve({ status: res.statusCode ?? 0, retryAfter: res.headers['retry-after'] as string | undefined }));
    });
    req.on('error', reject);
    req.end();
  });
}

/** Issue 5: metrics, log context, Sentry, the queue dashboard and readiness, on running processes. */
describe('observability of running apps', () => {
  const sentry = new FakeSentry();
  const password = randomBytes(12).toString('base64url');
  let deployment: Deployment;

  beforeAll(async () => {
    const dsn = await sentry.start();
    deployment = await Deployment.start({
      env: { SENTRY_DSN: dsn, ADMIN_USER: 'admin', ADMIN_PASSWORD_HASH: await argon2.hash(password), ADMIN_LOGIN_MAX_FAILURES: '3', WEBHOOK_MAX_BODY_BYTES: '4096' },
    });
    const post = async (body: string, secret = SECRET) =>
      (await fetch(deployment.webhook, { method: 'POST', body, headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': secret } })).status;
    expect(await post(JSON.stringify(groupMessage(1)))).toBe(200);
    expect(await post(JSON.stringify(groupMessage(2)), 'wrong-secret')).toBe(401);
    expect(await post(JSON.stringify({ ...groupMessage(3), padding: 'x'.repeat(8192) }))).toBe(413);
    await deployment.idle();
  });

  afterAll(async () => {
    await deployment?.stop();
    await sentry.stop();
  });

  test('GET /metrics: updates, webhook answers, outbox sends, queue depth on the gateway; jobs on the worker', async () => {
    // Outbox calls at start-up: getMe, and the nine command menus (setMyCommands, enqueued without waiting).
    await deployment.emulator.waitFor((c) => c.method === 'setMyCommands', { count: 9, timeoutMs: 20_000 });
    let gateway = await deployment.get(`${deployment.gatewayUrl}/metrics`);
    for (let i = 0; i < 50 && metricValue(gateway.body, 'kraken_jobs_total', { app: 'gateway', queue: 'outbox', outcome: 'completed' }) !== 10; i++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      gateway = await deployment.get(`${deployment.gatewayUrl}/metrics`);
    }
    expect(gateway.status).toBe(200);
    const g = (name: string, labels: Record<string, string>) => metricValue(gateway.body, name, { app: 'gateway', ...labels });
    expect(g('kraken_updates_received_total', { kind: 'message' })).toBe(1);
    expect(g('kraken_webhook_responses_total', { status: '200' })).toBe(1);
    expect(g('kraken_webhook_responses_total', { status: '401' })).toBe(1);
    expect(g('kraken_webhook_responses_total', { status: '413' })).toBe(1);
    expect(g('kraken_outbox_sends_total', { method: 'getMe', outcome: 'sent' })).toBe(1);
    expect(g('kraken_outbox_sends_total', { method: 'setMyCommands', outcome: 'sent' })).toBe(9);
    expect(g('kraken_jobs_total', { queue: 'outbox', outcome: 'completed' })).toBe(10);
    expect(g('kraken_queue_jobs', { queue: 'outbox', state: 'wait' })).toBe(0);
    expect(g('process_cpu_seconds_total', {})).toBeGreaterThan(0);
    const worker = await deployment.get(`http://127.0.0.1:${deployment.workers[0].healthPort}/metrics`);
    const w = (name: string, labels: Record<string, string>) => metricValue(worker.body, name, { app: 'stats-worker', ...labels });
    expect(w('kraken_jobs_total', { queue: 'stats', outcome: 'completed' })).toBe(1);
    expect(w('kraken_job_duration_seconds_count', { queue: 'stats', outcome: 'completed' })).toBe(1);
    expect(w('kraken_job_wait_seconds_count', { queue: 'stats' })).toBe(1);
    expect(w('kraken_queue_jobs', { queue: 'stats', state: 'active' })).toBe(0);
  });

  test('a failing job logs with job id, queue, update id and chat id, and reaches Sentry once', async () => {
    const queue = new Queue(QueueName.Stats, { connection: redisConnection(deployment.env.REDIS_URL, 'worker'), prefix: deployment.env.QUEUE_PREFIX });
    await queue.add('message', { updateId: 77, chat: { id: GROUP, type: 'supergroup' } }, { jobId: 'ops-invalid-77', attempts: 1 });
    await queue.close();
    const envelope = await sentry.waitFor('invalid message payload');
    expect(envelope).toContain('"queue":"stats"');
    const worker = deployment.workers[0];
    const line = jsonLines(worker.logs).find((l) => String(l.msg).startsWith('stats job failed'));
    expect(line).toMatchObject({ jobId: 'ops-invalid-77', queue: 'stats', job: 'message', updateId: 77, chatId: GROUP });
    expect(sentry.envelopes.filter((e) => e.includes('invalid message payload'))).toHaveLength(1);
  });

  test('no message text appears in any log line', () => {
    const all = [...deployment.gateway!.logs, ...deployment.workers[0].logs].join('\n');
    expect(all).not.toContain('secret text');
  });

  test('the queue dashboard needs the admin credentials', async () => {
    const url = `${deployment.gatewayUrl}/admin/queues`;
    const basic = (user: string, pass: string) => ({ authorization: `Basic ${Buffer.from(`${user}:${pass}`).toString('base64')}` });
    expect((await deployment.get(url)).status).toBe(401);
    expect((await deployment.get(url, basic('admin', 'wrong'))).status).toBe(401);
    expect((await deployment.get(url, basic('root', password))).status).toBe(401);
    const page = await deployment.get(url, basic('admin', password));
    expect(page.status).toBe(200);
    expect(page.body).toContain('<html');
    const api = await deployment.get(`${url}/api/queues`, basic('admin', password));
    expect(api.status).toBe(200);
    const names = (JSON.parse(api.body).queues as Array<{ name: string }>).map((q) => q.name);
    expect(names).toEqual(expect.arrayContaining(['stats', 'outbox']));
  });

  test('the dashboard locks an address and user name out after 3 failed logins, even with the right password', async () => {
    const url = `${deployment.gatewayUrl}/admin/queues/api/queues`;
    const basic = (user: string, pass: string) => ({ authorization: `Basic ${Buffer.from(`${user}:${pass}`).toString('base64')}` });
    const attacker = '127.0.0.2'; // another client address on the loopback interface
    for (let i = 0; i < 3; i++) expect((await getFrom(attacker, url, basic('admin', `guess-${i}`))).status).toBe(401);
    const locked = await getFrom(attacker, url, basic('admin', password));
    expect(locked.status).toBe(429);
    expect(Number(locked.retryAfter)).toBeGreaterThan(0);
    expect((await getFrom(attacker, url, basic('admin', 'guess-4'))).status).toBe(429);
    // Another address, and another user name from the locked address, are not locked out.
    expect((await getFrom('127.0.0.1', url, basic('admin', password))).status).toBe(200);
    expect((await getFrom(attacker, url, basic('someone', 'guess'))).status).toBe(401);
  });

  test('readiness reports Redis, the workers and the shutdown state', async () => {
    const ready = await deployment.get(`${deployment.gatewayUrl}/health/ready`);
    expect(ready.status).toBe(200);
    expect(JSON.parse(ready.body).info).toMatchObject({ redis: { status: 'up' }, queue: { status: 'up' }, shutdown: { status: 'up' } });
    const worker = await deployment.get(`http://127.0.0.1:${deployment.workers[0].healthPort}/health/ready`);
    expect(JSON.parse(worker.body).info).toMatchObject({ postgres: { status: 'up' }, queue: { status: 'up', workers: 1 } });
  });
});
