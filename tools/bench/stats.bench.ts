import { Queue, Worker } from 'bullmq';
import { QueueName, StatsJob, statsJobOptions, type MessageFact } from '@kraken/contracts';
import { redisConnection } from '@kraken/queue';
import { PrismaService } from '@kraken/db';
import { startApp, waitForQueueIdle } from '@kraken/testing';
import { BENCH_REDIS_URL, benchDatabase, benchPrefix } from './bench-env';
import { messageFact } from './synthetic-updates';

/** Results of the stats-worker benchmark (messages stored per second). */
export interface StatsFigures {
  jobs: number;
  krakenPerSec: number;
  naiveJobs: number;
  naivePerSec: Record<string, number>;
}

async function enqueue(prefix: string, facts: MessageFact[]): Promise<void> {
  const queue = new Queue(QueueName.Stats, { connection: redisConnection(BENCH_REDIS_URL, 'producer'), prefix });
  for (let i = 0; i < facts.length; i += 1000) {
    await queue.addBulk(facts.slice(i, i + 1000).map((data) => ({ name: StatsJob.Message, data, opts: { ...statsJobOptions(data), jobId: `tg-${data.updateId}` } })));
  }
  await queue.close();
}

async function storedCount(prisma: PrismaService): Promise<number> {
  return prisma.message.count();
}

/** Kraken's stats worker (a real process, default settings) draining `n` pre-enqueued message jobs. */
async function krakenWorker(n: number): Promise<number> {
  const db = await benchDatabase();
  const prefix = benchPrefix();
  try {
    await enqueue(prefix, Array.from({ length: n }, (_, i) => messageFact(i + 1)));
    const started = performance.now();
    const worker = await startApp('stats-worker', { DATABASE_URL: db.url, REDIS_URL: BENCH_REDIS_URL, QUEUE_PREFIX: prefix, LOG_LEVEL: 'info', HEALTH_PORT: '0' });
    await waitForQueueIdle(BENCH_REDIS_URL, prefix, QueueName.Stats, 600_000);
    const seconds = (performance.now() - started) / 1000;
    await worker.stop();
    const prisma = new PrismaService({ databaseUrl: db.url, poolSize: 1 });
    const stored = await storedCount(prisma);
    await prisma.$disconnect();
    if (stored !== n) throw new Error(`kraken worker stored ${stored} of ${n} messages`);
    return n / seconds;
  } finally {
    await db.drop();
  }
}

/** The naive design: a BullMQ worker doing one INSERT (Prisma create) per update, at `concurrency`. */
async function naiveWorker(n: number, concurrency: number): Promise<number> {
  const db = await benchDatabase();
  const prefix = benchPrefix();
  const prisma = new PrismaService({ databaseUrl: db.url, poolSize: 10 });
  try {
    await prisma.chat.create({ data: { id: -1001234567890n, type: 'supergroup' } });
    await enqueue(prefix, Array.from({ length: n }, (_, i) => messageFact(i + 1)));
    const started = performance.now();
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
    await waitForQueueIdle(BENCH_REDIS_URL, prefix, QueueName.Stats, 600_000);
    const seconds = (performance.now() - started) / 1000;
    await worker.close();
    if ((await storedCount(prisma)) !== n) throw new Error('naive worker lost messages');
    return n / seconds;
  } finally {
    await prisma.$disconnect();
    await db.drop();
  }
}

/** Kraken's batching stats worker against naive one-INSERT-per-update workers, measured one after another. */
export async function benchStats(options = { jobs: 20_000, naiveJobs: 5_000 }): Promise<StatsFigures> {
  const krakenPerSec = await krakenWorker(options.jobs);
  const naivePerSec = {
    'concurrency 1': await naiveWorker(options.naiveJobs, 1),
    'concurrency 16': await naiveWorker(options.naiveJobs, 16),
  };
  return { jobs: options.jobs, krakenPerSec, naiveJobs: options.naiveJobs, naivePerSec };
}
