import { createRedis, type RedisTarget } from '@kraken/redis';
import { Queue } from 'bullmq';

/**
 * Waits until a queue has no waiting, active, delayed (other than job-scheduler ticks), prioritized or
 * waiting-children jobs on two checks in a row. @throws Error with the counts on timeout.
 * @param redis a REDIS_URL, or a RedisTarget (a Redis Cluster)
 */
export async function waitForQueueIdle(redis: string | RedisTarget, prefix: string, queueName: string, timeoutMs = 120_000): Promise<void> {
  const client = createRedis(redis, 'worker', { maxRetriesPerRequest: 20 }); // ioredis's default: rides out a Redis restart
  const queue = new Queue(queueName, { connection: client, prefix });
  const deadline = Date.now() + timeoutMs;
  let idleChecks = 0;
  let counts: Record<string, number> = {};
  try {
    while (Date.now() < deadline) {
      counts = await queue.getJobCounts('wait', 'active', 'prioritized', 'waiting-children', 'paused');
      // Job schedulers keep their next tick as a delayed job (id "repeat:…"); only other delayed jobs count.
      counts.delayed = (await queue.getDelayed()).filter((job) => !String(job.id).startsWith('repeat:')).length;
      idleChecks = Object.values(counts).every((n) => n === 0) ? idleChecks + 1 : 0;
      if (idleChecks >= 2) return;
      await new Promise((r) => setTimeout(r, 250));
    }
    throw new Error(`queue ${queueName} not idle after ${timeoutMs} ms: ${JSON.stringify(counts)}`);
  } finally {
    await queue.close();
    await client.quit().catch(() => client.disconnect());
  }
}
