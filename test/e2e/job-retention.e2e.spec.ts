import { DEFAULT_JOB_OPTIONS, QueueName } from '@kraken/contracts';
import { redisConnection } from '@kraken/redis';
import { PrismaService } from '@kraken/db';
import { Queue, Worker } from 'bullmq';
import IORedis from 'ioredis';
import { postUpdate } from '../support/processes';
import { TEST_REDIS_URL, uniquePrefix, dropPrefix } from '../support/redis';
import { PipelineHarness, SECRET } from './pipeline-harness';

/**
 * Issue "Hardening", Redis can fill up: completed stats jobs carry no message texts (PostgreSQL has
 * them), redelivered updates still count once, and failed jobs are capped by count.
 */
const CHAT = { id: -1009000000001, type: 'supergroup', title: 'Retention' };
const USER = { id: 4242, is_bot: false, first_name: 'Retention' };

describe('job retention: no texts in completed stats jobs, exactly-once stats (gateway and stats worker as processes)', () => {
  const h = new PipelineHarness();
  const redis = new IORedis(TEST_REDIS_URL);
  let prisma: PrismaService;
  let updateId = 7_000_000;

  beforeAll(async () => {
    await h.start();
    prisma = new PrismaService({ databaseUrl: h.env.DATABASE_URL, poolSize: 2 });
  }, 60_000);
  afterAll(async () => {
    await prisma?.$disconnect();
    redis.disconnect();
    await h.stop();
  });

  async function post(update: Record<string, unknown>): Promise<void> {
    expect(await postUpdate(h.webhook, SECRET, update)).toBe(200);
  }

  /** Every stats job hash of this deployment whose data mentions `needle`. */
  async function statsJobsMentioning(needle: string): Promise<string[]> {
    const keys = (await redis.keys(`${h.env.QUEUE_PREFIX}:${QueueName.Stats}:*`)).filter((k) => /:tg-\d+$/.test(k));
    const found: string[] = [];
    for (const key of keys) if (((await redis.hget(key, 'data')) ?? '').includes(needle)) found.push(key);
    return found;
  }

  test('message texts are in PostgreSQL and in no stats job; a text-less update keeps its job for dedupe; redeliveries count once', async () => {
    const marker = 'секретный-текст-который-не-должен-остаться-в-redis';
    const date = Math.floor(Date.now() / 1000) - 60;
    const updates = [1, 2, 3].map((i) => ({ update_id: ++updateId, message: { message_id: i, date, chat: CHAT, from: USER, text: `${marker} ${i}` } }));
    const edit = { update_id: ++updateId, edited_message: { message_id: 1, date, edit_date: date + 5, chat: CHAT, from: USER, text: `${marker} правка` } };
    const reactions = { update_id: ++updateId, message_reaction_count: { chat: CHAT, message_id: 1, date: date + 9, reactions: [{ type: { type: 'emoji', emoji: '🔥' }, total_count: 2 }] } };
    for (const update of [...updates, edit, reactions]) await post(update);
    await h.idle();

    const rows = await prisma.message.findMany({ where: { chatId: BigInt(CHAT.id) }, orderBy: { messageId: 'asc' } });
    expect(rows.map((r) => r.text)).toEqual([`${marker} правка`, `${marker} 2`, `${marker} 3`]);
    expect(await statsJobsMentioning(marker)).toEqual([]);
    const kept = await new Queue(QueueName.Stats, { connection: redisConnection(h.env.REDIS_URL, 'producer'), prefix: h.env.QUEUE_PREFIX });
    try {
      expect((await kept.getJob(`tg-${reactions.update_id}`))?.finishedOn).toBeGreaterThan(0);
      expect(await kept.getJob(`tg-${updates[0].update_id}`)).toBeUndefined();
    } finally {
      await kept.close();
    }

    // Telegram redelivers everything (the jobs with texts are gone, so they are enqueued again): same rows.
    for (const update of [...updates, edit, reactions]) await post(update);
    await h.idle();
    expect(await prisma.message.count({ where: { chatId: BigInt(CHAT.id) } })).toBe(3);
    expect(await prisma.messageEdit.count({ where: { chatId: BigInt(CHAT.id) } })).toBe(1);
    expect((await prisma.message.findFirstOrThrow({ where: { chatId: BigInt(CHAT.id), messageId: 1 } })).text).toBe(`${marker} правка`);
    expect(await statsJobsMentioning(marker)).toEqual([]);
  });
});

describe('failed jobs are capped by count (BullMQ, real Redis)', () => {
  /** FAILED_JOBS_KEPT, as documented in the README's Reliability section. */
  const CAP = 1_000;
  const prefix = uniquePrefix('kfail');
  afterAll(() => dropPrefix(prefix));

  test('a storm of 1,200 failing jobs keeps at most 1,000 failed jobs', async () => {
    const connection = redisConnection(TEST_REDIS_URL, 'worker');
    const queue = new Queue('storm', { connection, prefix });
    const total = 1_200;
    const worker = new Worker('storm', async () => {
      throw new Error('PostgreSQL is down');
    }, { connection, prefix, concurrency: 50 });
    try {
      for (let start = 0; start < total; start += 200) {
        await queue.addBulk(Array.from({ length: 200 }, (_, k) => ({ name: 'message', data: { n: start + k }, opts: { ...DEFAULT_JOB_OPTIONS, attempts: 1 } })));
      }
      const deadline = Date.now() + 60_000;
      for (;;) {
        const { wait, active } = await queue.getJobCounts('wait', 'active');
        if (wait + active === 0) break;
        if (Date.now() > deadline) throw new Error('the storm did not drain');
        await new Promise((r) => setTimeout(r, 100));
      }
      await new Promise((r) => setTimeout(r, 300));
      expect((await queue.getJobCounts('failed')).failed).toBeLessThanOrEqual(CAP);
    } finally {
      await worker.close();
      await queue.close();
    }
  });
});
