import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { exportChatToUpdates, readExportFile, replayUpdates } from '@kraken/export';

const EXPORT_PATH = join(__dirname, '../../../test/fixtures/impact-group/result.json');
const SECRET = 'test-secret_123';

/** What the test webhook saw and how it answers; `respond` returns [status, body] per request. */
interface Webhook {
  url: string;
  received: number[];
  attempts: Map<number, number>;
  maxInFlight: number;
  respond: (updateId: number, attempt: number, secret: string | undefined) => [number, string];
  close(): Promise<void>;
}

/** A tiny node:http webhook receiver owned by the test. */
async function startWebhook(delayMs = 0): Promise<Webhook> {
  let inFlight = 0;
  const hook: Webhook = {
    url: '',
    received: [],
    attempts: new Map(),
    maxInFlight: 0,
    respond: (_id, _attempt, secret) => (secret === SECRET ? [200, ''] : [401, 'wrong secret']),
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
  const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    inFlight++;
    hook.maxInFlight = Math.max(hook.maxInFlight, inFlight);
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const update = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { update_id: number };
      const attempt = (hook.attempts.get(update.update_id) ?? 0) + 1;
      hook.attempts.set(update.update_id, attempt);
      const secret = req.headers['x-telegram-bot-api-secret-token'] as string | undefined;
      const [status, body] = hook.respond(update.update_id, attempt, secret);
      if (status >= 200 && status < 300) hook.received.push(update.update_id);
      setTimeout(() => {
        inFlight--;
        res.writeHead(status, { 'Content-Type': 'text/plain' }).end(body);
      }, delayMs);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  hook.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/telegram/webhook`;
  return hook;
}

const fakeUpdates = (n: number) => Array.from({ length: n }, (_, i) => ({ update_id: i + 1, message: { message_id: i + 1 } }));

describe('replayUpdates', () => {
  let hook: Webhook;
  beforeEach(async () => {
    hook = await startWebhook();
  });
  afterEach(() => hook.close());

  it('delivers every real update in order with concurrency 1', async () => {
    const [chat] = readExportFile(EXPORT_PATH);
    const updates = exportChatToUpdates(chat);
    const progress: number[] = [];
    const summary = await replayUpdates(updates, {
      webhook: hook.url,
      secret: SECRET,
      rate: 0,
      concurrency: 1,
      onProgress: (sent, total) => {
        expect(total).toBe(1917);
        progress.push(sent);
      },
    });
    expect(summary).toMatchObject({ total: 1917, delivered: 1917, rejected: [], retries: 0 });
    expect(hook.received).toEqual(updates.map((u) => u.update_id));
    expect(progress).toHaveLength(1917);
    expect(progress.at(-1)).toBe(1917);
  });

  it('retries a 503 with backoff and records a 400 as rejected without retrying', async () => {
    hook.respond = (id, attempt) => {
      if (id === 3 && attempt === 1) return [503, 'busy'];
      if (id === 5) return [400, 'bad update'];
      return [200, 'ok'];
    };
    const started = Date.now();
    const summary = await replayUpdates(fakeUpdates(8), { webhook: hook.url, secret: SECRET, rate: 0, concurrency: 1 });
    expect(summary).toMatchObject({ total: 8, delivered: 7, retries: 1, rejected: [{ update_id: 5, status: 400, body: 'bad update' }] });
    expect(hook.attempts.get(3)).toBe(2);
    expect(hook.attempts.get(5)).toBe(1);
    expect(hook.received).toEqual([1, 2, 3, 4, 6, 7, 8]); // 4 waited for 3 to be accepted
    expect(Date.now() - started).toBeGreaterThanOrEqual(90); // first backoff is 100 ms
  });

  it('gives up after maxRetries and reports the last status', async () => {
    hook.respond = (id) => (id === 2 ? [500, 'down'] : [200, '']);
    const summary = await replayUpdates(fakeUpdates(3), { webhook: hook.url, secret: SECRET, rate: 0, concurrency: 1, maxRetries: 2 });
    expect(summary.rejected).toEqual([{ update_id: 2, status: 500, body: 'down' }]);
    expect(summary.retries).toBe(2);
    expect(hook.attempts.get(2)).toBe(3);
    expect(summary.delivered).toBe(2);
  });

  it('leaves the secret check to the server: a wrong secret comes back as rejected 401s', async () => {
    const summary = await replayUpdates(fakeUpdates(3), { webhook: hook.url, secret: 'wrong', rate: 0 });
    expect(summary.delivered).toBe(0);
    expect(summary.retries).toBe(0);
    expect(summary.rejected).toEqual([1, 2, 3].map((update_id) => ({ update_id, status: 401, body: 'wrong secret' })));
  });

  it('retries network errors (nothing listening) and reports status 0', async () => {
    await hook.close();
    const summary = await replayUpdates(fakeUpdates(1), { webhook: hook.url, secret: SECRET, maxRetries: 1 });
    expect(summary.rejected).toEqual([{ update_id: 1, status: 0, body: expect.stringMatching(/fetch failed/) }]);
    expect(summary.retries).toBe(1);
    hook = await startWebhook(); // afterEach closes it
  });

  it('keeps at most `concurrency` requests in flight', async () => {
    await hook.close();
    hook = await startWebhook(20);
    const summary = await replayUpdates(fakeUpdates(40), { webhook: hook.url, secret: SECRET, rate: 0, concurrency: 4 });
    expect(summary.delivered).toBe(40);
    expect(hook.maxInFlight).toBe(4);
    expect([...hook.received].sort((a, b) => a - b)).toEqual(fakeUpdates(40).map((u) => u.update_id));
  });

  it('paces sends to `rate` per second', async () => {
    const started = Date.now();
    await replayUpdates(fakeUpdates(11), { webhook: hook.url, secret: SECRET, rate: 50, concurrency: 4 });
    expect(Date.now() - started).toBeGreaterThanOrEqual(190); // 10 intervals of 20 ms
  });

  it('stops on abort and rejects with the reason', async () => {
    const controller = new AbortController();
    const replay = replayUpdates(fakeUpdates(1000), {
      webhook: hook.url,
      secret: SECRET,
      rate: 100,
      signal: controller.signal,
      onProgress: (sent) => {
        if (sent === 5) controller.abort(new Error('stop now'));
      },
    });
    await expect(replay).rejects.toThrow('stop now');
    expect(hook.received.length).toBeLessThan(20);
  });

  it('validates its options', async () => {
    await expect(replayUpdates([], { webhook: 'not a url', secret: SECRET })).rejects.toThrow(/webhook is not a valid URL/);
    await expect(replayUpdates([], { webhook: 'ftp://x/', secret: SECRET })).rejects.toThrow(/http: or https:/);
    await expect(replayUpdates([], { webhook: hook.url, secret: 'has space' })).rejects.toThrow(/secret must be/);
    await expect(replayUpdates([], { webhook: hook.url, secret: SECRET, concurrency: 0 })).rejects.toThrow(/concurrency/);
    await expect(replayUpdates([], { webhook: hook.url, secret: SECRET, rate: -1 })).rejects.toThrow(/rate/);
    await expect(replayUpdates([], { webhook: hook.url, secret: SECRET })).resolves.toMatchObject({ total: 0, delivered: 0 });
  });
});
