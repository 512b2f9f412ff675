import { exportChatToUpdates, readExportFile, replayUpdates } from '@kraken/export';
import { loadExportChat, referenceStats } from '../support/export-reference';
import { LocalRedisCluster } from '../support/redis-cluster';
import { uniquePrefix } from '../support/redis';
import { CHAT_ID, EXPORT_FILE, PipelineHarness, SECRET, TZ } from './pipeline-harness';

/**
 * Issue 10 ("scale-out beyond one Redis"): the real export replayed through gateway → BullMQ → stats
 * worker → PostgreSQL with every app on a 3-master Redis Cluster (REDIS_CLUSTER_NODES, hash-tagged
 * QUEUE_PREFIX) gives, for every month, exactly the statistics computed from the export file — the
 * same check as pipeline.e2e.spec.ts on one Redis.
 */
const reference = referenceStats(loadExportChat(EXPORT_FILE).messages, TZ);
const months = [...reference.keys()].sort();
const updates = exportChatToUpdates(readExportFile(EXPORT_FILE)[0]);

// Starting the cluster, two app processes and replaying 1,917 updates: as slow as the one-Redis case.
jest.setTimeout(300_000);

describe('pipeline end to end on a Redis Cluster', () => {
  let cluster: LocalRedisCluster;

  beforeAll(async () => {
    cluster = await new LocalRedisCluster(3).start();
  });

  afterAll(async () => {
    await cluster?.stop();
  });

  test('the replay through two stats workers matches the reference for every month', async () => {
    const prefix = `{${uniquePrefix('ke2e-cluster')}}`;
    const harness = await new PipelineHarness().start({ workers: 2, redisUrl: cluster.url, redisClusterNodes: cluster.nodes, queuePrefix: prefix });
    const redis = await cluster.client();
    try {
      // The cluster really spreads slots over three masters, and Kraken's keys all hash to its tag's slot.
      const masters = redis.nodes('master');
      expect(masters).toHaveLength(3);

      const summary = await replayUpdates(updates, { webhook: harness.webhook, secret: SECRET, rate: 0, concurrency: 16 });
      expect(summary.rejected).toEqual([]);
      expect(summary.delivered).toBe(updates.length);
      await harness.idle();

      expect(months.length).toBe(19);
      for (const month of months) {
        const actual = await harness.stats(month);
        const byKind = Object.fromEntries(Object.entries(actual.byKind).filter(([, n]) => n !== 0));
        expect({ month, ...actual, byKind }).toMatchObject({ month, chatId: CHAT_ID, tz: TZ, ...reference.get(month)! });
      }

      const keys: string[] = [];
      for (const master of masters) {
        let cursor = '0';
        do {
          const [next, found] = await master.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
          keys.push(...found);
          cursor = next;
        } while (cursor !== '0');
      }
      expect(keys.length).toBeGreaterThan(0);
      const slots = new Set(await Promise.all(keys.slice(0, 50).map((key) => redis.cluster('KEYSLOT', key))));
      expect(slots.size).toBe(1);
    } finally {
      redis.disconnect();
      await harness.stop();
    }
  });
});
