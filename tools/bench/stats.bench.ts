import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { Queue, Worker } from 'bullmq';
import { statsWorkerEnv } from '@kraken/config';
import { QueueName, StatsJob, statsJobOptions, type MessageFact } from '@kraken/contracts';
import { redisConnection } from '@kraken/redis';
import { PrismaService } from '@kraken/db';
import { startApp } from '@kraken/testing';
import { BENCH_REDIS_URL, benchDatabase, benchPrefix, ROOT } from './bench-env';
import { messageFact } from './synthetic-updates';

/** Results of the stats-worker benchmark (jobs or messages handled per second, each drain timed alike). */
export interface StatsFigures {
  /** Jobs drained by each measured worker (Kraken and the no-op ceiling). */
  jobs: number;
  /** The stats worker's default STATS_CONCURRENCY, used by Kraken and the no-op ceiling alike. */
  concurrency: number;
  /** Ceiling: a BullMQ worker process doing nothing per job, same queue, jobs and concurrency. */
  noopPerSec: number;
  krakenPerSec: number;
  naiveJobs: number;
  naivePerSec: Record<string, number>;
}

/** The stats worker's default concurrency (STATS_CONCURRENCY unset). */
const DEFAULT_CONCURRENCY: number = statsWorkerEnv.shape.STATS_CONCURRENCY.parse(undefined);

/** Adds `facts` as `stats` message jobs (the gateway's job ids and options) to the paused queue of `prefix`. */
async function enqueuePaused(prefix: string, facts: MessageFact[]): Promise<Queue> {
  const queue = new Queue(QueueName.Stats, { connection: redisConnection(BENCH_REDIS_URL, 'worker'), prefix });
  await queue.pause();
  for (let i = 0; i < facts.length; i += 1000) {
    await queue.addBulk(facts.slice(i, i + 1000).map((data) => ({ name: StatsJob.Message, data, opts: { ...statsJobOptions(data), jobId: `tg-${data.updateId}` } })));
  }
  return queue;
}

/**
 * Resumes `queue` (its consumer already running and idle) and times until no job is waiting, paused,
 * prioritized or active (polled every 10 ms), so start-up never enters a rate. Returns `jobs` per second.
 * @throws Error when a job failed or the drain takes longer than 10 minutes
 */
async function timeDrain(queue: Queue, jobs: number): Promise<number> {
  const started = performance.now();
  await queue.resume();
  const deadline = Date.now() + 600_000;
  for (;;) {
    const counts = await queue.getJobCounts('wait', 'paused', 'prioritized', 'active');
    if (Object.values(counts).every((n) => n === 0)) break;
    if (Date.now() > deadline) throw new Error(`stats queue not drained: ${JSON.stringify(counts)}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  const seconds = (performance.now() - started) / 1000;
  const failed = await queue.getFailedCount();
  if (failed) throw new Error(`${failed} stats jobs failed: ${(await queue.getFailed(0, 0))[0]?.failedReason}`);
  return jobs / seconds;
}

/** Kraken's stats worker (a real process, default settings) draining `n` pre-enqueued message jobs. */
async function krakenWorker(n: number): Promise<number> {
  const db = await benchDatabase();
  const prefix = benchPrefix();
  const queue = await enqueuePaused(prefix, Array.from({ length: n }, (_, i) => messageFact(i + 1)));
  try {
    const worker = await startApp('stats-worker', { DATABASE_URL: db.url, REDIS_URL: BENCH_REDIS_URL, QUEUE_PREFIX: prefix, LOG_LEVEL: 'info', HEALTH_PORT: '0' });
    const perSec = await timeDrain(queue, n).finally(() => worker.stop());
    const prisma = new PrismaService({ databaseUrl: db.url, poolSize: 1 });
    const stored = await prisma.message.count();
    await prisma.$disconnect();
    if (stored !== n) throw new Error(`kraken worker stored ${stored} of ${n} messages`);
    return perSec;
  } finally {
    await queue.obliterate({ force: true });
    await queue.close();
    await db.drop();
  }
}

/** The ceiling: tools/bench/noop-worker (a process like the stats worker, processor doing nothing) draining the same `n` jobs. */
async function noopWorker(n: number, concurrency: number): Promise<number> {
  const prefix = benchPrefix();
  const queue = await enqueuePaused(prefix, Array.from({ length: n }, (_, i) => messageFact(i + 1)));
  const child = spawn(process.execPath, [join(ROOT, 'dist', 'tools', 'bench', 'noop-worker.js')], {
    env: { PATH: process.env.PATH ?? '', REDIS_URL: BENCH_REDIS_URL, QUEUE_PREFIX: prefix, CONCURRENCY: String(concurrency) },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const exited = new Promise((resolve) => child.once('exit', resolve));
  try {
    await new Promise<void>((resolve, reject) => {
      child.stdout!.on('data', (chunk: Buffer) => chunk.toString().includes('noop worker ready') && resolve());
      child.once('exit', (code) => reject(new Error(`noop worker exited with ${code}`)));
    });
    return await timeDrain(queue, n);
  } finally {
    child.kill('SIGTERM');
    await exited;
    await queue.obliterate({ force: true });
    await queue.close();
  }
}

/** The naive design: a BullMQ worker doing one INSERT (Prisma create) per update, at `concurrency`. */
async function naiveWorker(n: number, concurrency: number): Promise<number> {
  const db = await benchDatabase();
  const prefix = benchPrefix();
  const prisma = new PrismaService({ databaseUrl: db.url, poolSize: 10 });
  const queue = await enqueuePaused(prefix, Array.from({ length: n }, (_, i) => messageFact(i + 1)));
  try {
    await prisma.chat.create({ data: { id: -1001234567890n, type: 'supergroup' } });
    const worker = new Worker(
      QueueName.Stats,
      async (job) => {
        const f = job.data as MessageFact;
        await prisma.message.create({
          data: { chatId: BigInt(f.chat.id), messageId: f.messageId, senderId: BigInt(f.sender!.id), date: new Date(f.date * 1000),
            kind: 'text', textLength: f.textLength, text: f.text ?? null },
        });
      },
      { connection: redisConnection(BENCH_REDIS_URL, 'worker'), prefix, concurrency },
    );
    await worker.waitUntilReady();
    const perSec = await timeDrain(queue, n).finally(() => worker.close());
    if ((await prisma.message.count()) !== n) throw new Error('naive worker lost messages');
    return perSec;
  } finally {
    await queue.obliterate({ force: true });
    await queue.close();
    await prisma.$disconnect();
    await db.drop();
  }
}

/**
 * Kraken's batching stats worker against its ceiling (a no-op BullMQ worker process at the same
 * concurrency, on the same jobs) and against naive one-INSERT-per-update workers, one after another.
 * Every drain is timed the same way (timeDrain: queue paused while filled, consumer started, then
 * resumed), so process start-up is in none of the figures.
 */
export async function benchStats(options = { jobs: 20_000, naiveJobs: 5_000 }): Promise<StatsFigures> {
  const noopPerSec = await noopWorker(options.jobs, DEFAULT_CONCURRENCY);
  const krakenPerSec = await krakenWorker(options.jobs);
  const naivePerSec = {
    'concurrency 1': await naiveWorker(options.naiveJobs, 1),
    'concurrency 16': await naiveWorker(options.naiveJobs, 16),
  };
  return { jobs: options.jobs, concurrency: DEFAULT_CONCURRENCY, noopPerSec, krakenPerSec, naiveJobs: options.naiveJobs, naivePerSec };
}
