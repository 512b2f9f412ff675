import { QueueName } from '@kraken/contracts';
import { redisConnection } from '@kraken/redis';
import { Queue } from 'bullmq';
import { Deployment } from '../ops/support/deployment';
import { enqueueReplies } from '../ops/support/expectations';
import { passed, printResult, replayWithFault, settle, sleep } from './support/fault-case';

/**
 * The stats worker is killed with SIGKILL a third of the way into a replay while it holds running
 * jobs (STATS_BATCH_MS=500 keeps each job active for half a second), and a new one starts a second
 * later. The killed worker's jobs keep their locks until STATS_LOCK_MS (3 s) runs out; the new worker
 * then takes them over as stalled and runs them again; the fact keys make the second run harmless.
 */
test('a stats worker SIGKILLed mid-job: exact statistics, every reply once', async () => {
  const startedAt = Date.now();
  const deployment = await Deployment.start({ env: { STATS_BATCH_MS: '500', STATS_LOCK_MS: '3000' } });
  const stats = new Queue(QueueName.Stats, { connection: redisConnection(deployment.env.REDIS_URL, 'worker'), prefix: deployment.env.QUEUE_PREFIX });
  try {
    const replies = await enqueueReplies(deployment, 'kill-fault', 20, 4);
    let activeAtKill = 0;
    const replay = await replayWithFault(deployment, {
      rate: 150,
      at: 0.35,
      fault: async () => {
        activeAtKill = await stats.getActiveCount();
        await deployment.workers[0].stop('SIGKILL');
        await sleep(1000);
        await deployment.startWorker({ STATS_BATCH_MS: '20' });
      },
    });
    const outcome = await settle(deployment, replay, replies);
    printResult('stats-worker-sigkill', `stats worker SIGKILLed at 35% of the replay holding ${activeAtKill} running jobs; new worker 1 s later`, outcome, startedAt);
    expect(activeAtKill).toBeGreaterThan(0);
    expect(outcome.mismatches).toEqual([]);
    expect(passed(outcome)).toBe(true);
  } finally {
    await stats.close();
    await deployment.stop();
  }
});
