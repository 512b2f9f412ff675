import { Deployment } from '../ops/support/deployment';
import { enqueueReplies } from '../ops/support/expectations';
import { PrivatePostgres } from '../ops/support/private-postgres';
import { metricValue } from '../ops/support/prometheus';
import { passed, printResult, replayWithFault, settle, sleep } from './support/fault-case';

/**
 * PostgreSQL (a private server) is stopped in `immediate` mode — every session cut at once, crash
 * recovery at the next start — a third of the way into a replay of the real export, and started again
 * 3 s later. Stats jobs fail meanwhile and are retried by BullMQ with back-off; the webhook and the
 * outbox do not need PostgreSQL and go on.
 */
test('PostgreSQL restarted during a replay: exact statistics, every reply once', async () => {
  const startedAt = Date.now();
  const postgres = await new PrivatePostgres().start();
  const deployment = await Deployment.start({ databaseUrl: postgres.url, env: { STATS_BATCH_MS: '20', STATS_LOCK_MS: '30000' } });
  try {
    const replies = await enqueueReplies(deployment, 'pg-fault', 40, 4);
    let downMs = 0;
    const replay = await replayWithFault(deployment, {
      rate: 150,
      at: 0.35,
      fault: async () => {
        const t = Date.now();
        await postgres.halt('immediate');
        await sleep(3000);
        await postgres.launch();
        downMs = Date.now() - t;
      },
    });
    const outcome = await settle(deployment, replay, replies);
    const metrics = await deployment.get(`http://127.0.0.1:${deployment.workers[0].healthPort}/metrics`);
    const retried = metricValue(metrics.body, 'kraken_jobs_total', { queue: 'stats', outcome: 'retried' }) ?? 0;
    const fault = `PostgreSQL stopped (immediate) at 35% of the replay, back after ${(downMs / 1000).toFixed(1)} s; ${retried} stats job runs failed and were retried`;
    printResult('postgres-restart', fault, outcome, startedAt);
    expect(retried).toBeGreaterThan(0);
    expect(outcome.mismatches).toEqual([]);
    expect(outcome.replies).toMatchObject({ lost: [], doubled: [] });
    expect(passed(outcome)).toBe(true);
    expect([deployment.gateway!.child.exitCode, deployment.workers[0].child.exitCode]).toEqual([null, null]);
  } finally {
    await deployment.stop();
    await postgres.stop();
  }
});
