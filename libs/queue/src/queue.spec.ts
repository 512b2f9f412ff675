import { baseEnv, KrakenConfigModule } from '@kraken/config';
import { DigestJob, MemeJob, OutboxJob, QueueName } from '@kraken/contracts';
import { HealthModule } from '@kraken/health';
import { Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { Job, Queue, QueueEvents, UnrecoverableError } from 'bullmq';
import { dropPrefix, TEST_REDIS_URL, uniquePrefix } from '../../../test/support/redis';
import { checkHandlers, JobHandlersError } from './check-handlers';
import { enqueue, jobDescriptor, jobQueue } from './enqueue';
import { JOBS, jobNamesOf } from './job-registry';
import { parseJob } from './parse-job';
import { QueueModule } from './queue.module';
import { QueueWorkers, type JobHandlers } from './start-worker';

const connection = { url: TEST_REDIS_URL, maxRetriesPerRequest: null };
const noop = async () => undefined;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A valid `decide` payload of the memes queue. */
const decision = { updateId: 1, action: 'approve' as const, moderator: { id: 5, name: 'Alice' }, chatId: -100, cardMessageId: 3, memeId: 1, callbackQueryId: 'cq-1' };

/** A job of `queue` named `name` with `data`, as a worker receives it (not stored in Redis). */
const jobOf = (queue: Queue, name: string, data: unknown) => new Job(queue, name, data);

/** Digest handlers that record what ran; `publishMs` is how long a `publish` takes. */
function digestHandlers(ran: string[], publishMs = 0): JobHandlers<typeof QueueName.Digest> {
  return {
    [DigestJob.Monthly]: noop,
    [DigestJob.Publish]: async ({ chatId, month }, { job }) => {
      ran.push(`start ${job.id}`);
      await sleep(publishMs);
      ran.push(`end ${job.id}`);
      return { chatId, month };
    },
    [DigestJob.Command]: noop,
  };
}

/**
 * Boots a Nest app with QueueModule (and what it needs: config, HealthModule) whose bootstrap runs
 * `start` with QueueWorkers; `graceMs` is SHUTDOWN_GRACE_MS.
 */
async function appStarting(prefix: string, start: (workers: QueueWorkers) => Promise<unknown>, graceMs = 10_000) {
  Object.assign(process.env, { REDIS_URL: TEST_REDIS_URL, QUEUE_PREFIX: prefix, SHUTDOWN_GRACE_MS: String(graceMs) });
  @Injectable()
  class Starter implements OnApplicationBootstrap {
    constructor(private readonly workers: QueueWorkers) {}
    async onApplicationBootstrap(): Promise<void> {
      await start(this.workers);
    }
  }
  const module = await Test.createTestingModule({
    imports: [KrakenConfigModule.forRoot(baseEnv), HealthModule.forRoot({ database: false }), QueueModule],
    providers: [Starter],
  }).compile();
  return module.createNestApplication({ logger: false });
}

describe('@kraken/queue: parseJob, start-up checks and QueueWorkers on real Redis', () => {
  const prefix = uniquePrefix('kqueue');
  const savedEnv = { ...process.env };
  const digest = new Queue(QueueName.Digest, { connection, prefix });
  const outbox = new Queue(QueueName.Outbox, { connection, prefix });
  const events = new QueueEvents(QueueName.Digest, { connection, prefix });

  beforeAll(() => events.waitUntilReady());

  afterAll(async () => {
    await Promise.all([digest.close(), outbox.close(), events.close()]);
    await dropPrefix(prefix);
    process.env = savedEnv;
  });

  describe('parseJob', () => {
    test('returns the payload validated, with the schema defaults applied', () => {
      expect(parseJob(jobOf(digest, DigestJob.Publish, { chatId: -100, month: '2026-10' }))).toEqual({ chatId: -100, month: '2026-10' });
      expect(parseJob(jobOf(outbox, OutboxJob.Call, { method: 'getMe', params: {} }))).toEqual({ method: 'getMe', params: {}, isMessage: false });
      expect(parseJob(jobOf(digest, DigestJob.Monthly, undefined))).toEqual({});
    });

    test('a bad payload is an UnrecoverableError naming each zod issue, never the values', () => {
      const parse = () => parseJob(jobOf(digest, DigestJob.Publish, { chatId: 'secret value', month: '2026-13' }));
      expect(parse).toThrow(UnrecoverableError);
      expect(parse).toThrow(/^invalid publish payload \(queue digest\): chatId: .+; month: expected YYYY-MM$/);
      expect(parse).not.toThrow(/secret value/);
    });

    test('a job the registry does not know is an UnrecoverableError', async () => {
      expect(() => parseJob(jobOf(digest, 'submit', {}))).toThrow(new UnrecoverableError('unknown job "submit" on queue "digest"'));
      const nowhere = new Queue('nowhere', { connection, prefix });
      expect(() => parseJob(jobOf(nowhere, 'x', {}))).toThrow(/unknown job "x" on queue "nowhere"/);
      await nowhere.close();
    });
  });

  describe('one registry for names, producers and workers', () => {
    test('QueueName lists exactly the queues of the registry (queue names are the stored strings)', () => {
      expect(Object.values(QueueName).sort()).toEqual(Object.keys(JOBS).sort());
      expect(Object.values(QueueName).sort()).toEqual(['assistant', 'chat-answers', 'chat-context', 'chat-knowledge', 'digest', 'memes', 'outbox', 'stats']);
    });

    test('enqueue adds a job its worker parses; jobQueue refuses another queue; payloads are typed at compile time', async () => {
      expect(() => jobQueue(outbox, QueueName.Digest)).toThrow(new TypeError('expected the BullMQ queue "digest", got "outbox"'));
      const added = await enqueue(jobQueue(digest, QueueName.Digest), DigestJob.Publish, { chatId: -7, month: '2026-09' }, { jobId: 'typed-1' });
      const stored = await digest.getJob(added.id!);
      expect(parseJob(stored!)).toEqual({ chatId: -7, month: '2026-09' });
      await added.remove();
      expect(jobDescriptor(QueueName.Memes, MemeJob.Decide, decision, { jobId: 'tg-1' })).toEqual({ queueName: 'memes', name: 'decide', data: decision, opts: { jobId: 'tg-1' } });
      const typeChecks = () => {
        // @ts-expect-error the digest queue carries no `submit` job
        void enqueue(jobQueue(digest, QueueName.Digest), MemeJob.Submit, {});
        // @ts-expect-error `chatId` must be a number (DigestPublishJobSchema)
        void enqueue(jobQueue(digest, QueueName.Digest), DigestJob.Publish, { chatId: '-7', month: '2026-09' });
        // @ts-expect-error a decide job needs its moderator
        jobDescriptor(QueueName.Memes, MemeJob.Decide, { ...decision, moderator: undefined }, {});
      };
      expect(typeChecks).toBeInstanceOf(Function);
    });
  });

  describe('start-up check of a handler map', () => {
    test('names the missing and the unknown jobs in one line', () => {
      expect(() => checkHandlers(QueueName.Memes, { [MemeJob.Submit]: noop })).toThrow(new JobHandlersError('queue "memes": no handler for job(s) decide'));
      expect(() => checkHandlers(QueueName.Memes, { [MemeJob.Submit]: noop, [MemeJob.Decide]: noop, approve: noop })).toThrow(
        new JobHandlersError('queue "memes": handler(s) for unknown job(s) approve'),
      );
      expect(() => checkHandlers(QueueName.Memes, { [MemeJob.Submit]: noop, [MemeJob.Decide]: 'not a function' })).toThrow(/no handler for job\(s\) decide/);
      expect(() => checkHandlers('mems', {})).toThrow(/queue "mems" is not in the job registry/);
      expect(() => checkHandlers(QueueName.Memes, { [MemeJob.Submit]: noop, [MemeJob.Decide]: noop })).not.toThrow();
    });

    test('every registry queue accepts a complete map', () => {
      for (const queue of [QueueName.Stats, QueueName.Outbox, QueueName.Digest, QueueName.Memes]) {
        expect(() => checkHandlers(queue, Object.fromEntries(jobNamesOf(queue).map((name) => [name, noop])))).not.toThrow();
      }
    });

    test('an app whose worker misses a handler does not start', async () => {
      const app = await appStarting(prefix, (workers) =>
        workers.start(QueueName.Memes, { [MemeJob.Submit]: noop } as unknown as JobHandlers<typeof QueueName.Memes>, {}),
      );
      await expect(app.init()).rejects.toThrow(new JobHandlersError('queue "memes": no handler for job(s) decide'));
      await app.close();
    });

    test('an app that starts two workers of one queue (duplicate handlers) does not start', async () => {
      const handlers = { [MemeJob.Submit]: noop, [MemeJob.Decide]: noop };
      const app = await appStarting(prefix, async (workers) => {
        await workers.start(QueueName.Memes, handlers, {});
        await workers.start(QueueName.Memes, handlers, {});
      });
      await expect(app.init()).rejects.toThrow(new JobHandlersError('queue "memes": duplicate worker, its handlers are already registered in this process'));
      await app.close();
    });
  });

  describe('QueueWorkers.start', () => {
    afterEach(() => digest.obliterate({ force: true }));

    test('runs each job by its handler; a bad payload fails at once, not retried', async () => {
      const ran: string[] = [];
      const app = await appStarting(prefix, (workers) => workers.start(QueueName.Digest, digestHandlers(ran), { concurrency: 2 }));
      await app.init();
      try {
        const good = await digest.add(DigestJob.Publish, { chatId: 7, month: '2026-10' }, { jobId: 'good' });
        await expect(good.waitUntilFinished(events, 10_000)).resolves.toEqual({ chatId: 7, month: '2026-10' });
        const bad = await digest.add(DigestJob.Publish, { chatId: 7, month: 'October' }, { jobId: 'bad', attempts: 5, backoff: 10 });
        await expect(bad.waitUntilFinished(events, 10_000)).rejects.toThrow('invalid publish payload (queue digest): month: expected YYYY-MM');
        const failed = await digest.getJob('bad');
        expect(failed?.attemptsMade).toBe(1);
        expect(ran).toEqual(['start good', 'end good']);
      } finally {
        await app.close();
      }
    });

    test('upserts the job schedulers it is given', async () => {
      const app = await appStarting(prefix, (workers) =>
        workers.start(QueueName.Digest, digestHandlers([]), {
          schedules: [{ id: 'tick', pattern: '0 0 0 1 * *', tz: 'Europe/Moscow', name: DigestJob.Monthly }],
        }),
      );
      await app.init();
      await app.close();
      expect(await digest.getJobScheduler('tick')).toMatchObject({ key: 'tick', name: DigestJob.Monthly, pattern: '0 0 0 1 * *', tz: 'Europe/Moscow' });
    });

    test('shutdown drains: a running job finishes, then afterDrain runs, and no new job is taken', async () => {
      const ran: string[] = [];
      const app = await appStarting(prefix, (workers) =>
        workers.start(QueueName.Digest, digestHandlers(ran, 800), {
          concurrency: 1,
          afterDrain: async () => {
            ran.push('afterDrain');
          },
        }),
      );
      await app.init();
      const running = await digest.add(DigestJob.Publish, { chatId: 1, month: '2026-10' }, { jobId: 'running' });
      while (!ran.includes('start running')) await sleep(20);
      await app.close();
      expect(ran).toEqual(['start running', 'end running', 'afterDrain']);
      expect(await running.getState()).toBe('completed');
      await digest.add(DigestJob.Publish, { chatId: 1, month: '2026-11' }, { jobId: 'later' });
      await sleep(300);
      expect(await digest.getJobState('later')).toBe('waiting');
    });

    test('shutdown hands a job that outlives SHUTDOWN_GRACE_MS back to the queue', async () => {
      const ran: string[] = [];
      const app = await appStarting(prefix, (workers) => workers.start(QueueName.Digest, digestHandlers(ran, 3000), { concurrency: 1 }), 300);
      await app.init();
      await digest.add(DigestJob.Publish, { chatId: 2, month: '2026-10' }, { jobId: 'slow' });
      while (!ran.includes('start slow')) await sleep(20);
      const started = Date.now();
      await app.close();
      expect(Date.now() - started).toBeLessThan(2500);
      expect(await digest.getJobState('slow')).toBe('waiting');
    });
  });
});
