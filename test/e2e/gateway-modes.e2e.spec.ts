import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Queue } from 'bullmq';
import { ALLOWED_UPDATES, QueueName, StatsJob } from '@kraken/contracts';
import { dayOf, monthOf } from '@kraken/stats';
import { freePort, postUpdate, startApp } from '../support/processes';
import { PipelineHarness, SECRET, TZ } from './pipeline-harness';

const GROUP = -1009990001;

function groupMessage(updateId: number, messageId: number): Record<string, unknown> {
  return {
    update_id: updateId,
    message: {
      message_id: messageId,
      date: Math.floor(Date.now() / 1000),
      chat: { id: GROUP, type: 'supergroup', title: 'Modes test' },
      from: { id: 4242, is_bot: false, first_name: 'Tester' },
      text: `hello ${messageId}`,
    },
  };
}

const thisMonth = () => {
  const m = monthOf(new Date(), TZ);
  return `${m.year}-${String(m.month).padStart(2, '0')}`;
};

async function statsOf(harness: PipelineHarness, chatId: number): Promise<Record<string, any>> {
  const { runCli } = await import('../support/processes');
  const result = await runCli(['stats', '--chat', String(chatId), '--month', thisMonth(), '--tz', TZ, '--json'], harness.env);
  if (result.code !== 0) throw new Error(result.stderr);
  return JSON.parse(result.stdout);
}


describe('gateway modes and the outbox in a running system', () => {
  test('long polling: updates fetched with getUpdates reach the statistics', async () => {
    const harness = await new PipelineHarness().start({ workers: 1 });
    try {
      await harness.gateway.stop();
      harness.gateway = await startApp('gateway', { ...harness.env, TELEGRAM_MODE: 'polling', PORT: String(await freePort()) });
      harness.emulator.pushUpdate(groupMessage(1, 1));
      harness.emulator.pushUpdate(groupMessage(2, 2));
      // Calls are recorded when answered: the long poll that carried the two updates.
      await harness.emulator.waitFor((call) => call.method === 'getUpdates' && JSON.stringify(call.response.body).includes('hello 2'), { timeoutMs: 20_000 });
      let messages = 0;
      for (let i = 0; i < 50 && messages < 2; i++) {
        await harness.idle();
        messages = (await statsOf(harness, GROUP)).messages;
      }
      expect(messages).toBe(2);
      const polls = harness.emulator.calls('getUpdates');
      expect(polls.some((c) => Array.isArray(c.params.allowed_updates) && (c.params.allowed_updates as string[]).includes('chat_member'))).toBe(true);
    } finally {
      await harness.stop();
    }
  });

  test('webhook mode with WEBHOOK_URL: start-up registers the webhook (getMe, then setWebhook with the secret and allowed_updates) and Telegram delivers to it', async () => {
    const harness = await new PipelineHarness().start({ workers: 1 });
    try {
      await harness.gateway.stop();
      harness.emulator.clearCalls();
      const port = await freePort();
      const url = `http://127.0.0.1:${port}/telegram/webhook`;
      harness.gateway = await startApp('gateway', { ...harness.env, PORT: String(port), WEBHOOK_URL: url });
      expect(harness.emulator.calls().map((c) => c.method)).toEqual(['getMe', 'setWebhook']);
      const [setWebhook] = harness.emulator.calls('setWebhook');
      expect(setWebhook.params).toEqual({ url, secret_token: SECRET, allowed_updates: [...ALLOWED_UPDATES] });
      expect(setWebhook.response.status).toBe(200);
      expect(harness.gateway.logs.join('\n')).toContain('webhook registered');
      // Telegram (the emulator) now posts updates to the URL with the secret header.
      harness.emulator.pushUpdate(groupMessage(30, 30));
      let messages = 0;
      for (let i = 0; i < 50 && messages < 1; i++) {
        await harness.idle();
        messages = (await statsOf(harness, GROUP)).messages;
      }
      expect(messages).toBe(1);
      expect(harness.emulator.pendingUpdates()).toEqual([]);
    } finally {
      await harness.stop();
    }
  });

  test('a setWebhook Telegram refuses stops start-up with its description', async () => {
    const harness = await new PipelineHarness().start({ workers: 0 });
    try {
      await harness.gateway.stop();
      harness.emulator.injectFailure({ method: 'setWebhook', errorCode: 400, description: 'Bad Request: bad webhook: HTTPS url must be provided for webhook' });
      const port = await freePort();
      const started = startApp('gateway', { ...harness.env, PORT: String(port), WEBHOOK_URL: `http://127.0.0.1:${port}/telegram/webhook` });
      await expect(started).rejects.toThrow(/setWebhook failed: 400 Bad Request: bad webhook: HTTPS url must be provided/);
    } finally {
      await harness.stop();
    }
  });

  test('daily member counts: a flow calls getChatMemberCount through the outbox and the month shows it', async () => {
    const harness = await new PipelineHarness().start({ workers: 1 });
    try {
      harness.emulator.setChat(GROUP, { type: 'supergroup', memberCount: 321 });
      expect(await postUpdate(harness.webhook, SECRET, groupMessage(10, 10))).toBe(200);
      await harness.idle();
      const stats = new Queue(QueueName.Stats, { connection: { host: '127.0.0.1', port: 6379 }, prefix: harness.env.QUEUE_PREFIX });
      await stats.add(StatsJob.SnapshotMemberCounts, {});
      await stats.close();
      await harness.emulator.waitFor('getChatMemberCount', { timeoutMs: 20_000 });
      await harness.idle();
      expect((await statsOf(harness, GROUP)).members).toEqual({ start: 321, end: 321 });
      expect(dayOf(new Date(), TZ)).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    } finally {
      await harness.stop();
    }
  });

  test('Redis down: the webhook answers 503 (Telegram redelivers), then accepts again; nothing acknowledged is lost', async () => {
    const redisPort = await freePort();
    const dir = mkdtempSync(join(tmpdir(), 'kraken-redis-'));
    // A private Redis with an fsync'ed append-only file, as docker-compose.yml runs it in production.
    const startRedis = (): ChildProcess =>
      spawn('redis-server', ['--port', String(redisPort), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'yes', '--appendfsync', 'always', '--dir', dir], { stdio: 'ignore' });
    let redis = startRedis();
    await new Promise((r) => setTimeout(r, 500));
    const harness = await new PipelineHarness().start({ workers: 1, redisUrl: `redis://127.0.0.1:${redisPort}` });
    try {
      expect(await postUpdate(harness.webhook, SECRET, groupMessage(20, 20))).toBe(200);
      redis.kill('SIGKILL');
      await new Promise((r) => setTimeout(r, 300));
      expect(await postUpdate(harness.webhook, SECRET, groupMessage(21, 21))).toBe(503);
      redis = startRedis();
      let status = 0;
      for (let i = 0; i < 50 && status !== 200; i++) {
        await new Promise((r) => setTimeout(r, 200));
        status = await postUpdate(harness.webhook, SECRET, groupMessage(21, 21));
      }
      expect(status).toBe(200);
      await harness.idle();
      expect((await statsOf(harness, GROUP)).messages).toBe(2);
      expect(harness.gateway.child.exitCode).toBeNull();
    } finally {
      await harness.stop();
      redis.kill('SIGKILL');
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
