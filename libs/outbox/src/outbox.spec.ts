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
import { OutboxCallFailedError } from './outbox-call-failed.error';
import { sentMarkerKey } from './outbox-keys';
import { outboxUpload } from './outbox-upload';
import { OutboxModule } from './outbox.module';
import { OutboxService } from './outbox.service';
import { isUnparsableEntities } from './telegram-failure';

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
    const job = await outbox.send({ method: 'sendMessage', params: { chat_id: 1001, text: 'hello' }, chatId: 1001, isMessage: true }, 'spec-a');
    const message = (await finished(job)) as { message_id: number; text: string; chat: { id: number } };
    expect(message).toMatchObject({ text: 'hello', chat: { id: 1001 } });
    expect(message.message_id).toEqual(expect.any(Number));
    expect(emulator.calls(allTo('sendMessage', 1001))).toHaveLength(1);
    expect(job.name).toBe(OutboxJob.Call);
  });

  it('(b) waits retry_after on 429 without consuming an attempt, then sends once', async () => {
    emulator.injectFailure({ method: 'sendMessage', chatId: 1002, times: 1, errorCode: 429, retryAfter: 1 });
    const job = await outbox.send({ method: 'sendMessage', params: { chat_id: 1002, text: 'flood' }, chatId: 1002, isMessage: true }, 'spec-b');
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
    const chat = await outbox.call<{ id: number }>({ method: 'getChat', params: { chat_id: 1099 } }, { timeoutMs: 10_000 });
    expect(chat.id).toBe(1099);
    expect(Date.now() - started).toBeGreaterThanOrEqual(1000);
  });

  it('(c) fails a 400 at once with Telegram\'s description and keeps it in the failed set', async () => {
    emulator.injectFailure({ method: 'sendMessage', chatId: 1003, times: 1, errorCode: 400, description: 'Bad Request: chat not found' });
    const job = await outbox.send({ method: 'sendMessage', params: { chat_id: 1003, text: 'x' }, chatId: 1003, isMessage: true }, 'spec-c');
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
    const job = await outbox.send({ method: 'sendMessage', params: { chat_id: 1004, text: 'again' }, chatId: 1004, isMessage: true }, 'spec-d');
    await finished(job);
    const calls = emulator.calls(allTo('sendMessage', 1004));
    expect(calls.map((c) => c.response.status)).toEqual([500, 500, 200]);
    expect(calls[2].at - calls[0].at).toBeGreaterThanOrEqual(3000 - 50); // 1 s + 2 s back-off
    expect(emulator.calls(okTo('sendMessage', 1004))).toHaveLength(1);
  });

  it('(e) keeps ~1 message/s per chat without holding back other chats', async () => {
    const jobs: Job[] = [];
    for (let i = 1; i <= 5; i++) {
      jobs.push(await outbox.send({ method: 'sendMessage', params: { chat_id: 1005, text: `busy ${i}` }, chatId: 1005, isMessage: true }, `spec-e-${i}`));
    }
    jobs.push(await outbox.send({ method: 'sendMessage', params: { chat_id: 1006, text: 'other' }, chatId: 1006, isMessage: true }, 'spec-e-other'));
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
    const first = await outbox.send(call, 'welcome-1007');
    const sent = await finished(first);
    const redis = new IORedis(TEST_REDIS_URL);
    try {
      expect(await redis.exists(sentMarkerKey(prefix, 'welcome-1007'))).toBe(1);
      expect(await redis.ttl(sentMarkerKey(prefix, 'welcome-1007'))).toBeGreaterThan(23 * 3600);
    } finally {
      redis.disconnect();
    }
    await first.remove(); // as if the job had been lost after Telegram accepted it (crash, cleanup)
    const again = await outbox.send(call, 'welcome-1007');
    expect(await finished(again)).toEqual(sent);
    expect(emulator.calls(allTo('sendMessage', 1007))).toHaveLength(1);
  });

  it('(g) uploads {base64, filename} files, also inside sendMediaGroup media', async () => {
    const photo = outboxUpload(PNG, 'dot.png');
    const job = await outbox.send({ method: 'sendPhoto', params: { chat_id: 1008, photo, caption: 'pic' }, chatId: 1008, isMessage: true }, 'spec-g-photo');
    const message = (await finished(job)) as { photo?: unknown[] };
    expect(message.photo?.length).toBeGreaterThan(0);
    const [upload] = emulator.calls(okTo('sendPhoto', 1008));
    expect(upload.files.photo.filename).toBe('dot.png');
    expect(upload.files.photo.data.equals(PNG)).toBe(true);

    const album = await outbox.send(
      {
        method: 'sendMediaGroup',
        params: { chat_id: 1009, media: [{ type: 'photo', media: photo }, { type: 'photo', media: outboxUpload(PNG, 'two.png') }] },
        chatId: 1009,
        isMessage: true,
      },
      'spec-g-album',
    );
    expect(await finished(album)).toHaveLength(2);
    const [group] = emulator.calls(okTo('sendMediaGroup', 1009));
    expect(group.mediaUploads?.map((file) => file?.filename)).toEqual(['dot.png', 'two.png']);
    expect(group.mediaUploads?.[1]?.data.equals(PNG)).toBe(true);
  });

  it('(h) call returns getMe\'s result', async () => {
    const me = await outbox.call<{ id: number; is_bot: boolean }>({ method: 'getMe', params: {} }, { timeoutMs: 10_000 });
    expect(me).toMatchObject({ id: 123456, is_bot: true });
  });

  it('(h2) call rejects with the failure reason of a permanent error', async () => {
    emulator.injectFailure({ method: 'getChat', chatId: 1010, times: 1, errorCode: 403, description: 'Forbidden: bot was kicked' });
    await expect(outbox.call({ method: 'getChat', params: { chat_id: 1010 } }, { timeoutMs: 10_000 })).rejects.toThrow(
      'Forbidden: bot was kicked',
    );
  });

  it('(h3) call throws OutboxCallFailedError with Telegram\'s fields for a 400 or 403; under a job id, a later call tries again', async () => {
    emulator.injectFailure({ method: 'getChat', chatId: 1011, times: 1, errorCode: 403, description: 'Forbidden: bot was kicked from the supergroup chat' });
    const refused = await outbox.call({ method: 'getChat', params: { chat_id: 1011 } }, { jobId: 'spec-h3', timeoutMs: 10_000 }).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(OutboxCallFailedError);
    expect(refused).toMatchObject({ method: 'getChat', errorCode: 403, description: 'Forbidden: bot was kicked from the supergroup chat' });
    expect((refused as OutboxCallFailedError).retryAfter).toBeUndefined();
    expect(await queue.getJob('spec-h3')).toBeUndefined(); // removed from the failed set: a retry can try again
    const chat = await outbox.call<{ id: number }>({ method: 'getChat', params: { chat_id: 1011 } }, { jobId: 'spec-h3', timeoutMs: 10_000 });
    expect(chat.id).toBe(1011);

    const html = { method: 'sendMessage', params: { chat_id: 1012, text: '<b>never closed', parse_mode: 'HTML' }, chatId: 1012, isMessage: true };
    const unparsable = await outbox.call(html, { timeoutMs: 10_000 }).catch((error: unknown) => error);
    expect(unparsable).toMatchObject({ method: 'sendMessage', errorCode: 400, description: expect.stringContaining("Bad Request: can't parse entities") });
    expect(isUnparsableEntities(unparsable as OutboxCallFailedError)).toBe(true);
    expect(isUnparsableEntities(refused as OutboxCallFailedError)).toBe(false);
  });

  it('(h4) a 429 to a chat is retried after retry_after and call returns the result', async () => {
    emulator.injectFailure({ method: 'sendMessage', chatId: 1013, times: 1, errorCode: 429, retryAfter: 1 });
    const sent = await outbox.call<{ text: string }>({ method: 'sendMessage', params: { chat_id: 1013, text: 'later' }, chatId: 1013, isMessage: true }, { timeoutMs: 10_000 });
    expect(sent.text).toBe('later');
    expect(emulator.calls(allTo('sendMessage', 1013)).map((c) => c.response.status)).toEqual([429, 200]);
  });

  it('(h5) a call that times out, or whose signal aborts, stops waiting and leaves its job queued', async () => {
    emulator.addLatency({ method: 'getChat', chatId: 1014, ms: 2500, times: 2 });
    const slow = { method: 'getChat', params: { chat_id: 1014 } };
    await expect(outbox.call(slow, { jobId: 'spec-h5-timeout', timeoutMs: 300 })).rejects.toThrow(/timed out/);
    const controller = new AbortController();
    const aborted = outbox.call(slow, { jobId: 'spec-h5-abort', signal: controller.signal });
    setTimeout(() => controller.abort(new Error('handed back')), 300);
    await expect(aborted).rejects.toThrow('handed back');
    for (const id of ['spec-h5-timeout', 'spec-h5-abort']) {
      const job = (await queue.getJob(id))!;
      expect(['waiting', 'active', 'delayed']).toContain(await job.getState());
      expect(await finished(job)).toMatchObject({ id: 1014 });
    }
  });

  it('(h6) a call still waiting when its app shuts down stops waiting; its job stays queued and is sent', async () => {
    // A producer-only app (OUTBOX_WORKER=false): the configuration is read when the module is built.
    process.env.OUTBOX_WORKER = 'false';
    const producer = await Test.createTestingModule({
      imports: [KrakenConfigModule.forRoot(baseEnv.extend(telegramEnv.shape).extend(outboxEnv.shape)), bullRootModule('producer'), HealthModule.forRoot({ database: false }), OutboxModule.forRoot()],
    })
      .compile()
      .finally(() => (process.env.OUTBOX_WORKER = 'true'));
    await producer.init();
    emulator.addLatency({ method: 'getChat', chatId: 1015, ms: 2000, times: 1 });
    const waiting = producer.get(OutboxService).call({ method: 'getChat', params: { chat_id: 1015 } }, { jobId: 'spec-h6' });
    const outcome = waiting.catch((error: unknown) => error);
    await emulator.waitFor((c) => c.method === 'getChat' && c.params.chat_id === 1015, { timeoutMs: 10_000 });
    await producer.close();
    expect(await outcome).toEqual(expect.objectContaining({ message: expect.stringContaining('shutting down') }));
    expect(await finished((await queue.getJob('spec-h6'))!)).toMatchObject({ id: 1015 });
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
