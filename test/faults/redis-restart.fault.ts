import { Deployment } from '../ops/support/deployment';
import { enqueueReplies } from '../ops/support/expectations';
import { PrivateRedis } from '../ops/support/private-redis';
import { passed, printResult, replayWithFault, settle, sleep } from './support/fault-case';

/**
 * Redis (a private server with an fsync'ed append-only file, as in docker-compose.yml) is killed with
 * SIGKILL a third of the way into a replay of the real export while replies go out through the
 * outbox, and restarted 3 s later. The webhook answers 503 meanwhile (Telegram, here the replay,
 * redelivers); workers reconnect and go on.
 */
test('Redis restarted during a replay: exact statistics, every reply once', async () => {
  const startedAt = Date.now();
  const redis = await new PrivateRedis().start();
  const deployment = await Deployment.start({ redisUrl: redis.url, env: { STATS_BATCH_MS: '20', STATS_LOCK_MS: '30000' } });
  try {
    const replies = await enqueueReplies(deployment, 'redis-fault', 40, 4);
    let downMs = 0;
    const replay = await replayWithFault(deployment, {
      rate: 150,
      at: 0.35,
      fault: async () => {
        const t = Date.now();
        await redis.kill('SIGKILL');
        await sleep(3000);
        await redis.launch();
        downMs = Date.now() - t;
      },
    });
    const outcome = await settle(deployment, replay, replies);
    printResult('redis-restart', `Redis SIGKILLed at 35% of the replay, back after ${(downMs / 1000).toFixed(1)} s`, outcome, startedAt);
    expect(outcome.mismatches).toEqual([]);
    expect(outcome.replies).toMatchObject({ lost: [], doubled: [] });
    expect(passed(outcome)).toBe(true);
    expect([deployment.gateway!.child.exitCode, deployment.workers[0].child.exitCode]).toEqual([null, null]);
  } finally {
    await deployment.stop();
    await redis.stop();
  }
});
