import { baseEnv, KrakenConfigModule, outboxEnv, telegramEnv } from '@kraken/config';
import { OutboxJob, QueueName } from '@kraken/contracts';
import { HealthModule } from '@kraken/health';
import { BotApiEmulator, type RecordedCall } from '@kraken/testing';
import { getQueueToken } from '@nestjs/bullmq';
import { Test, type TestingModule } from '@nestjs/testing';
import { FlowProducer, type Job, type Queue, QueueEvents, Worker } from 'bullmq';
import IORedis from 'ioredis';
import { dropPrefix, TEST_REDIS_URL, uniquePrefix } from '../../../test/support/redis';
import { bullRootModule } from './bull-root.module';
import { sentMarkerKey } from './outbox-keys';
import { outboxUpload } from './outbox-upload';
import { OutboxModule } from './outbox.module';
import { OutboxService } from './outbox.service';

/** A 1×1 transparent PNG. */
const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=',
  'base64',
);
const TOKEN = '123456:outbox-test';
const okTo = (method: string, chatId: number) => (call: RecordedCall) =>
  call.method === method && call.params.chat_id === chatId && call.response.body.ok;
const allTo = (method: string, chatId: number) => (call: RecordedCall) => call.method === method && call.params.chat_id === chatId;

describe('outbox: OutboxModule + BullMQ + Redis + Bot API emulator', () => {
  const prefix = uniquePrefix('kt-outbox');
  const savedEnv = { ...process.env };
  let emulator: BotApiEmulator;
  let app: TestingModule;
  let outbox: OutboxService;
  let queue: Queue;
  let events: QueueEvents;

  /** Waits for a job's outcome; rejects with its failure reason. */
  const finished = (job: Job, timeoutMs = 15_000) => job.waitUntilFinished(events, timeoutMs);

  beforeAll(async () => {
    emulator = new BotApiEmulator({ token: TOKEN });
    const apiRoot = await emulator.start();
    Object.assign(process.env, {
      REDIS_URL: TEST_REDIS_URL,
      QUEUE_PREFIX: prefix,
      BOT_TOKEN: TOKEN,
      TELEGRAM_API_ROOT: apiRoot,
      OUTBOX_GLOBAL_PER_SECOND: '200',
      OUTBOX_CHAT_PER_SECOND: '1',
      OUTBOX_GROUP_PER_MINUTE: '20',
      OUTBOX_CONCURRENCY: '8',
      OUTBOX_WORKER: 'true',
    });
    app = await Test.createTestingModule({
      imports: [
        KrakenConfigModule.forRoot(baseEnv.extend(telegramEnv.shape).extend(outboxEnv.shape)),
        bullRootModule(),
        HealthModule.forRoot({ database: false }),
        OutboxModule.forRoot(),
      ],
    }).compile();
    await app.init();
    outbox = app.get(OutboxService);
    queue = app.get<Queue>(getQueueToken(QueueName.Outbox));
    events = new QueueEvents(QueueName.Outbox, { connection: { url: TEST_REDIS_URL }, prefix });
    await events.waitUntilReady();
  });

  afterAll(async () => {
    await events?.close();
    await app?.close();
    await emulator?.stop();
    await dropPrefix(prefix);
    process.env = savedEnv;
  });

  it('(a) sends a message and the job returns the Message', async () => {
    const job = await outbox.enqueue({ method: 'sendMessage', params: { chat_id: 1001, text: 'hello' }, chatId: 1001, isMessage: true });
    const message = (await finished(job)) as { message_id: number; text: string; chat: { id: number } };
    expect(message).toMatchObject({ text: 'hello', chat: { id: 1001 } });
    expect(message.message_id).toEqual(expect.any(Number));
    expect(emulator.calls(allTo('sendMessage', 1001))).toHaveLength(1);
    expect(job.name).toBe(OutboxJob.Call);
  });

  it('(b) waits retry_after on 429 without consuming an attempt, then sends once', async () => {
    emulator.injectFailure({ method: 'sendMessage', chatId: 1002, times: 1, errorCode: 429, retryAfter: 1 });
    const job = await outbox.enqueue({ method: 'sendMessage', params: { chat_id: 1002, text: 'flood' }, chatId: 1002, isMessage: true });
    await finished(job);
    const calls = emulator.calls(allTo('sendMessage', 1002));
    expect(calls.map((c) => c.response.status)).toEqual([429, 200]);
    expect(calls[1].at - calls[0].at).toBeGreaterThanOrEqual(1000);
    const done = await queue.getJob(job.id!);
    expect(done?.attemptsMade).toBe(1); // only the attempt that completed
  });

  it('(b2) a 429 without chatId rate-limits the queue and the call still succeeds', async () => {
    emulator.injectFailure({ method: 'getChat', times: 1, errorCode: 429, retryAfter: 1 });
    const started = Date.now();
    const chat = await outbox.callAndWait<{ id: number }>({ method: 'getChat', params: { chat_id: 1099 } }, { timeoutMs: 10_000 });
    expect(chat.id).toBe(1099);
    expect(Date.now() - started).toBeGreaterThanOrEqual(1000);
  });

  it('(c) fails a 400 at once with Telegram\'s description and keeps it in the failed set', async () => {
    emulator.injectFailure({ method: 'sendMessage', chatId: 1003, times: 1, errorCode: 400, description: 'Bad Request: chat not found' });
    const job = await outbox.enqueue({ method: 'sendMessage', params: { chat_id: 1003, text: 'x' }, chatId: 1003, isMessage: true });
    await expect(finished(job)).rejects.toThrow('Bad Request: chat not found');
    const failed = await queue.getJob(job.id!);
    expect(await failed?.getState()).toBe('failed');
    expect(failed?.attemptsMade).toBe(1);
    expect(failed?.failedReason).toContain('Bad Request: chat not found');
    await new Promise((resolve) => setTimeout(resolve, 1200)); // a retry would have run by now
    const calls = emulator.calls(allTo('sendMessage', 1003));
    expect(calls).toHaveLength(1);
    expect(calls[0].response.body.ok).toBe(false);
  });

  it('(d) retries 5xx with back-off and sends once', async () => {
    emulator.injectFailure({ method: 'sendMessage', chatId: 1004, times: 2, errorCode: 500 });
    const job = await outbox.enqueue({ method: 'sendMessage', params: { chat_id: 1004, text: 'again' }, chatId: 1004, isMessage: true });
    await finished(job);
    const calls = emulator.calls(allTo('sendMessage', 1004));
    expect(calls.map((c) => c.response.status)).toEqual([500, 500, 200]);
    expect(calls[2].at - calls[0].at).toBeGreaterThanOrEqual(3000 - 50); // 1 s + 2 s back-off
    expect(emulator.calls(okTo('sendMessage', 1004))).toHaveLength(1);
  });

  it('(e) keeps ~1 message/s per chat without holding back other chats', async () => {
    const jobs: Job[] = [];
    for (let i = 1; i <= 5; i++) {
      jobs.push(await outbox.enqueue({ method: 'sendMessage', params: { chat_id: 1005, text: `busy ${i}` }, chatId: 1005, isMessage: true }));
    }
    jobs.push(await outbox.enqueue({ method: 'sendMessage', params: { chat_id: 1006, text: 'other' }, chatId: 1006, isMessage: true }));
    await Promise.all(jobs.map((job) => finished(job)));
    const busy = emulator.calls(okTo('sendMessage', 1005));
    expect(busy).toHaveLength(5);
    const gaps = busy.slice(1).map((call, i) => call.at - busy[i].at);
    for (const gap of gaps) expect(gap).toBeGreaterThanOrEqual(950);
    const [other] = emulator.calls(okTo('sendMessage', 1006));
    expect(other.at).toBeLessThan(busy[1].at); // not queued behind chat 1005's backlog
    for (const job of jobs) expect((await queue.getJob(job.id!))?.attemptsMade).toBe(1); // holds cost no attempt
  }, 30_000);

  it('(f) does not send again a job id Telegram already accepted', async () => {
    const call = { method: 'sendMessage', params: { chat_id: 1007, text: 'once' }, chatId: 1007, isMessage: true };
    const first = await outbox.enqueue(call, { jobId: 'welcome-1007' });
    const sent = await finished(first);
    const redis = new IORedis(TEST_REDIS_URL);
    try {
      expect(await redis.exists(sentMarkerKey(prefix, 'welcome-1007'))).toBe(1);
      expect(await redis.ttl(sentMarkerKey(prefix, 'welcome-1007'))).toBeGreaterThan(23 * 3600);
    } finally {
      redis.disconnect();
    }
    await first.remove(); // as if the job had been lost after Telegram accepted it (crash, cleanup)
    const again = await outbox.enqueue(call, { jobId: 'welcome-1007' });
    expect(await finished(again)).toEqual(sent);
    expect(emulator.calls(allTo('sendMessage', 1007))).toHaveLength(1);
  });

  it('(g) uploads {base64, filename} files, also inside sendMediaGroup media', async () => {
    const photo = outboxUpload(PNG, 'dot.png');
    const job = await outbox.enqueue({ method: 'sendPhoto', params: { chat_id: 1008, photo, caption: 'pic' }, chatId: 1008, isMessage: true });
    const message = (await finished(job)) as { photo?: unknown[] };
    expect(message.photo?.length).toBeGreaterThan(0);
    const [upload] = emulator.calls(okTo('sendPhoto', 1008));
    expect(upload.files.photo.filename).toBe('dot.png');
    expect(upload.files.photo.data.equals(PNG)).toBe(true);

    const album = await outbox.enqueue({
      method: 'sendMediaGroup',
      params: { chat_id: 1009, media: [{ type: 'photo', media: photo }, { type: 'photo', media: outboxUpload(PNG, 'two.png') }] },
      chatId: 1009,
      isMessage: true,
    });
    expect(await finished(album)).toHaveLength(2);
    const [group] = emulator.calls(okTo('sendMediaGroup', 1009));
    expect(group.mediaUploads?.map((file) => file?.filename)).toEqual(['dot.png', 'two.png']);
    expect(group.mediaUploads?.[1]?.data.equals(PNG)).toBe(true);
  });

  it('(h) callAndWait returns getMe\'s result', async () => {
    const me = await outbox.callAndWait<{ id: number; is_bot: boolean }>({ method: 'getMe', params: {} }, { timeoutMs: 10_000 });
    expect(me).toMatchObject({ id: 123456, is_bot: true });
  });

  it('(h2) callAndWait rejects with the failure reason of a permanent error', async () => {
    emulator.injectFailure({ method: 'getChat', chatId: 1010, times: 1, errorCode: 403, description: 'Forbidden: bot was kicked' });
    await expect(outbox.callAndWait({ method: 'getChat', params: { chat_id: 1010 } }, { timeoutMs: 10_000 })).rejects.toThrow(
      'Forbidden: bot was kicked',
    );
  });

  it('(i) childJob builds a flow child whose result the parent reads; a failed child does not block the parent', async () => {
    const parentQueue = 'outbox-spec-parent';
    const seen: Array<{ values: unknown[]; ignored: number }> = [];
    const parentWorker = new Worker(
      parentQueue,
      async (job) => {
        const values = Object.values(await job.getChildrenValues());
        const ignored = Object.keys(await job.getIgnoredChildrenFailures()).length;
        seen.push({ values, ignored });
      },
      { connection: { url: TEST_REDIS_URL, maxRetriesPerRequest: null }, prefix },
    );
    const flows = new FlowProducer({ connection: { url: TEST_REDIS_URL }, prefix });
    try {
      emulator.setChat(-1001011, { memberCount: 77 });
      emulator.injectFailure({ method: 'getChatMemberCount', chatId: -1001012, times: 1, errorCode: 400, description: 'Bad Request: chat not found' });
      for (const chatId of [-1001011, -1001012]) {
        await flows.add({
          name: 'member-count-snapshot',
          queueName: parentQueue,
          data: { chatId },
          children: [outbox.childJob({ method: 'getChatMemberCount', params: { chat_id: chatId }, chatId }, `mc-${-chatId}`)],
        });
      }
      const deadline = Date.now() + 10_000;
      while (seen.length < 2 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
      expect(seen).toEqual(expect.arrayContaining([{ values: [77], ignored: 0 }, { values: [], ignored: 1 }]));
    } finally {
      await flows.close();
      await parentWorker.close();
    }
  });
});
