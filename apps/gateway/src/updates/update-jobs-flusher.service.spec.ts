import { ConfigService } from '@nestjs/config';
import type { GatewayEnv } from '@kraken/config';
import { redisConnection } from '@kraken/redis';
import { FlowProducer, Queue } from 'bullmq';
import { dropPrefix, TEST_REDIS_URL, uniquePrefix } from '../../../../test/support/redis';
import { EnqueueFailedError, UpdateJobsFlusher } from './update-jobs-flusher.service';
import type { UpdateJob } from './update-jobs';

/** A plain job for test queue `q` with id `id` (the flusher does not look at queue or job names, so it is cast to the registry's type). */
const job = (id: string): UpdateJob => ({ queueName: 'q', name: 'n', data: { id }, opts: { jobId: id } }) as unknown as UpdateJob;

/**
 * UpdateJobsFlusher on a real Redis (webhook mode): the updates flushed in one event-loop turn share
 * an addBulk, and a job Redis refuses fails only its own update. Redis refuses a child whose parent
 * job does not exist (BullMQ's "missing key for parent job"), which no handler produces: it stands in
 * for any refused job.
 */
describe('UpdateJobsFlusher', () => {
  const prefix = uniquePrefix('kflush');
  let flows: FlowProducer;
  let flusher: UpdateJobsFlusher;
  let queue: Queue;

  beforeAll(() => {
    flows = new FlowProducer({ connection: redisConnection(TEST_REDIS_URL, 'producer'), prefix });
    const config = new ConfigService<GatewayEnv, true>({ ENQUEUE_TIMEOUT_MS: 2000, TELEGRAM_MODE: 'webhook' });
    flusher = new UpdateJobsFlusher(flows, config);
    queue = new Queue('q', { connection: redisConnection(TEST_REDIS_URL, 'producer'), prefix });
  });

  afterAll(async () => {
    await flows.close();
    await queue.close();
    await dropPrefix(prefix);
  });

  test('updates flushed in the same turn all resolve with their jobs in Redis, a redelivered one deduped', async () => {
    await Promise.all([flusher.flush([job('tg-1'), job('ctx-1')], 1), flusher.flush([job('tg-2')], 2), flusher.flush([job('tg-1')], 1)]);
    expect((await queue.getJobs(['wait'])).map((j) => j.id).sort()).toEqual(['ctx-1', 'tg-1', 'tg-2']);
  });

  test('a job Redis refuses fails only its update: the others of the batch are answered and kept', async () => {
    const orphan: UpdateJob = { ...job('tg-4'), opts: { jobId: 'tg-4', parent: { id: 'missing', queue: `${prefix}:q` } } };
    const results = await Promise.allSettled([flusher.flush([job('tg-3')], 3), flusher.flush([orphan], 4), flusher.flush([job('tg-5')], 5)]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect((results[1] as PromiseRejectedResult).reason).toBeInstanceOf(EnqueueFailedError);
    const ids = (await queue.getJobs(['wait'])).map((j) => j.id);
    expect(ids).toEqual(expect.arrayContaining(['tg-3', 'tg-5']));
    expect(ids).not.toContain('tg-4');
  });
});
