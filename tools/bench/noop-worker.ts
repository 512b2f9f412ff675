import { Worker } from 'bullmq';
import { QueueName } from '@kraken/contracts';
import { redisConnection } from '@kraken/redis';

/**
 * The stats benchmark's ceiling: a BullMQ worker of the `stats` queue whose processor does nothing, run
 * as its own process (as the stats worker is) with the stats worker's connection options.
 * Environment: REDIS_URL, QUEUE_PREFIX, CONCURRENCY. Prints "noop worker ready" once running; SIGTERM
 * closes it.
 */
function main(): void {
  const worker = new Worker(QueueName.Stats, async () => undefined, {
    connection: redisConnection(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379', 'worker'),
    prefix: process.env.QUEUE_PREFIX,
    concurrency: Number(process.env.CONCURRENCY ?? 1),
  });
  worker.on('error', (error) => process.stderr.write(`noop worker error: ${error.message}\n`));
  void worker.waitUntilReady().then(() => process.stdout.write('noop worker ready\n'));
  process.once('SIGTERM', () => void worker.close().then(() => process.exit(0)));
}

main();
