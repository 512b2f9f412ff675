import { redisConnection } from '@kraken/redis';
import { BotApiEmulator } from '@kraken/testing';
import { Queue } from 'bullmq';
import { connect, type Socket } from 'node:net';
import { freePort, startApp, type AppProcess } from '../support/processes';
import { dropPrefix, TEST_REDIS_URL, uniquePrefix } from '../support/redis';

const SECRET = 'e2e-secret_token';
const CHAT = { id: -1009990077, type: 'supergroup', title: 'Round trips' };

/** One command Redis executed, as MONITOR reports it. */
interface Executed {
  source: string;
  args: string[];
}

/** A plain group message: a stats fact and a context entry. */
const chatter = (updateId: number, messageId: number) => ({
  update_id: updateId,
  message: { message_id: messageId, date: 1_790_000_000, chat: CHAT, from: { id: 4700 + messageId, is_bot: false, first_name: 'Member' }, text: 'просто болтаем' },
});

/** A group message addressing Kraken by name: a stats fact, a context entry and an answer. */
const addressed = (updateId: number, messageId: number) => ({
  update_id: updateId,
  message: { message_id: messageId, date: 1_790_000_000, chat: CHAT, from: { id: 4600 + messageId, is_bot: false, first_name: 'Asker' }, text: 'Кракен, сколько будет дважды два?' },
});

/**
 * Redis MONITOR on a plain socket (each executed command arrives as one `+<time> [<db> <source>] "cmd" "arg" …`
 * line); `stop` closes it and returns what was seen.
 */
async function startMonitor(): Promise<{ stop(): Executed[] }> {
  const url = new URL(TEST_REDIS_URL);
  const socket = connect(Number(url.port || 6379), url.hostname);
  const executed: Executed[] = [];
  let buffered = '';
  let ok!: () => void;
  const started = new Promise<void>((resolve) => (ok = resolve));
  socket.on('data', (chunk) => {
    buffered += chunk.toString('latin1');
    const lines = buffered.split('\r\n');
    buffered = lines.pop()!;
    for (const line of lines) {
      if (line === '+OK') ok();
      const match = /^\+[\d.]+ \[\d+ ([^\]]+)\] (.*)$/.exec(line);
      if (match) executed.push({ source: match[1], args: [...match[2].matchAll(/"((?:[^"\\]|\\.)*)"/g)].map((m) => m[1]) });
    }
  });
  socket.write('MONITOR\r\n');
  await started;
  return {
    stop() {
      socket.destroy();
      return executed;
    },
  };
}

async function post(url: string, body: unknown): Promise<number> {
  const response = await fetch(url, { method: 'POST', body: JSON.stringify(body), headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': SECRET } });
  await response.arrayBuffer();
  return response.status;
}

/**
 * POSTs each body on its own new keep-alive-less connection, all written in the same tick once every
 * connection is open (so the gateway reads them together). @returns the HTTP statuses, in order.
 */
async function postTogether(url: string, bodies: unknown[]): Promise<number[]> {
  const { hostname, port, pathname } = new URL(url);
  const sockets = await Promise.all(bodies.map(() => new Promise<Socket>((resolve, reject) => {
    const socket = connect(Number(port), hostname, () => resolve(socket));
    socket.once('error', reject);
  })));
  const answers = sockets.map((socket) => new Promise<number>((resolve, reject) => {
    let head = '';
    socket.on('data', (chunk) => {
      head += chunk.toString('latin1');
      const status = /^HTTP\/1\.1 (\d{3})/.exec(head);
      if (status) {
        resolve(Number(status[1]));
        socket.destroy();
      }
    });
    socket.once('error', reject);
  }));
  sockets.forEach((socket, i) => {
    const body = JSON.stringify(bodies[i]);
    socket.write(`POST ${pathname} HTTP/1.1\r\nHost: ${hostname}:${port}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n` +
      `X-Telegram-Bot-Api-Secret-Token: ${SECRET}\r\nConnection: close\r\n\r\n${body}`);
  });
  return Promise.all(answers);
}

/**
 * Issue 10 §7: every job an update produces goes to Redis in one round trip. Observed on a real Redis
 * with MONITOR: the job-adding scripts of the update (BullMQ's addStandardJob, one per job) all come
 * from one gateway connection, inside one MULTI … EXEC with nothing else of that connection between.
 */
describe('update jobs', () => {
  const prefix = uniquePrefix('kjobs');
  let emulator: BotApiEmulator;
  let gateway: AppProcess;
  let webhook: string;

  beforeAll(async () => {
    emulator = new BotApiEmulator();
    const apiRoot = await emulator.start();
    const port = await freePort();
    webhook = `http://127.0.0.1:${port}/telegram/webhook`;
    gateway = await startApp(
      'gateway',
      { REDIS_URL: TEST_REDIS_URL, QUEUE_PREFIX: prefix, BOT_TOKEN: '123456:E2E-token', TELEGRAM_API_ROOT: apiRoot, TELEGRAM_MODE: 'webhook',
        WEBHOOK_SECRET: SECRET, PORT: String(port), HOST: '127.0.0.1', HEALTH_PORT: '0' },
      { timeoutMs: 120_000 },
    );
  }, 150_000);

  afterAll(async () => {
    await gateway?.stop('SIGTERM');
    await emulator?.stop();
    await dropPrefix(prefix);
  });

  test('a group message addressing Kraken: its stats, context and answer jobs in one MULTI/EXEC', async () => {
    expect(await post(webhook, addressed(880_001, 11))).toBe(200); // warm-up: scripts loaded, connections open

    const monitor = await startMonitor();
    expect(await post(webhook, addressed(880_002, 12))).toBe(200);
    await new Promise((resolve) => setTimeout(resolve, 500));
    const executed = monitor.stop();

    const isJobAdd = (c: Executed) => c.args[0].toLowerCase() === 'evalsha' && c.args.some((a) => a.startsWith(`${prefix}:`) && a.endsWith(':wait'));
    const adds = executed.filter(isJobAdd);
    const queueOf = (c: Executed) => c.args.find((a) => a.startsWith(`${prefix}:`) && a.endsWith(':wait'))!.slice(prefix.length + 1, -':wait'.length);
    expect(adds.map(queueOf).sort()).toEqual(['chat-answers', 'chat-context', 'stats']);
    const sources = new Set(adds.map((c) => c.source));
    expect(sources.size).toBe(1);
    const [source] = sources;
    const ofSource = executed.filter((c) => c.source === source).map((c) => c.args[0].toLowerCase());
    expect(ofSource).toEqual(['multi', 'evalsha', 'evalsha', 'evalsha', 'exec']);

    const ids = async (name: string) => {
      const queue = new Queue(name, { connection: redisConnection(TEST_REDIS_URL, 'worker'), prefix });
      const jobs = await queue.getJobs(['wait', 'delayed', 'prioritized']);
      await queue.close();
      return jobs.map((job) => job.id).sort();
    };
    expect(await ids('stats')).toEqual(['tg-880001', 'tg-880002']);
    expect(await ids('chat-context')).toEqual(['tg-880001', 'tg-880002']);
    expect(await ids('chat-answers')).toEqual([`ans-${CHAT.id}-11`, `ans-${CHAT.id}-12`]);
  });

  test('updates arriving together share one MULTI/EXEC; each is answered 200 with its jobs in Redis', async () => {
    expect(await post(webhook, chatter(880_999, 99))).toBe(200); // warm-up: scripts loaded, connections open
    const updates = Array.from({ length: 20 }, (_, i) => chatter(881_000 + i, 100 + i));
    const monitor = await startMonitor();
    expect(await postTogether(webhook, updates)).toEqual(updates.map(() => 200));
    await new Promise((resolve) => setTimeout(resolve, 500));
    const executed = monitor.stop();

    const isJobAdd = (c: Executed) => c.args[0].toLowerCase() === 'evalsha' && c.args.some((a) => a.startsWith(`${prefix}:`) && a.endsWith(':wait'));
    const adds = executed.filter(isJobAdd);
    expect(adds).toHaveLength(40);
    const [source] = new Set(adds.map((c) => c.source));
    const transactions = executed.filter((c) => c.source === source && c.args[0].toLowerCase() === 'exec');
    expect(transactions.length).toBeGreaterThanOrEqual(1);
    expect(transactions.length).toBeLessThan(updates.length);

    for (const name of ['stats', 'chat-context']) {
      const queue = new Queue(name, { connection: redisConnection(TEST_REDIS_URL, 'worker'), prefix });
      const ids = (await queue.getJobs(['wait'])).map((job) => job.id);
      await queue.close();
      expect(ids).toEqual(expect.arrayContaining(updates.map((u) => `tg-${u.update_id}`)));
    }
  });
});
