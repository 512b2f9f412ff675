import { TelegramLinkCodes } from '@kraken/auth';
import { ChatPolicyStore, ContextStore } from '@kraken/chat';
import { exportChatToUpdates, readExportFile, replayUpdates } from '@kraken/export';
import { createRedis } from '@kraken/redis';
import { CompletionCache } from '../../libs/llm/src/completion-cache';
import { ChatRateLimiter } from '../../libs/outbox/src/chat-rate-limiter';
import { SentMarkers } from '../../libs/outbox/src/sent-markers';
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

  test("Kraken's own scripts, transactions and multi-key reads run on the cluster under a hash-tagged prefix", async () => {
    const prefix = `{${uniquePrefix('kcl')}}`; // without the braces: CROSSSLOT on the first script
    const redis = createRedis({ url: cluster.url, clusterNodes: cluster.nodes.split(',') }, 'worker');
    try {
      const context = new ContextStore(redis, prefix, { windowMs: 3_600_000, maxEntries: 2, maxBytes: 1_000_000 });
      for (let id = 1; id <= 3; id++) await context.add(-100, { id, at: Date.now() + id, sender: 'Anna', isBot: false, kind: 'text', text: `m${id}` });
      const kept = [];
      for await (const entry of context.newestFirst(-100)) kept.push(entry.id);
      expect(kept).toEqual([3, 2]);

      const limiter = new ChatRateLimiter(redis, prefix, { chatPerSecond: 1, groupPerMinute: 20 });
      expect(await limiter.reserve(-100)).toBe(0);
      expect(await limiter.reserve(-100)).toBeGreaterThan(0);

      const markers = new SentMarkers(redis, prefix);
      await markers.set('job-1', { message_id: 7 });
      expect(await markers.get('job-1')).toEqual({ found: true, result: { message_id: 7 } });

      const codes = new TelegramLinkCodes(redis, prefix);
      const first = await codes.create('account-1');
      const second = await codes.create('account-1'); // MULTI: drops the first code, stores the second
      expect(await codes.claim(first.code, 'tg-1')).toBeNull();
      expect(await codes.claim(second.code, 'tg-1')).toBe('account-1');

      const cache = new CompletionCache(redis, prefix, 60);
      await cache.set('b', { text: 'hi', model: 'm', provider: 'p' });
      expect(await cache.getFirst(['a', 'b'])).toEqual({ text: 'hi', model: 'm', provider: 'p' }); // MGET of two keys

      const policies = new ChatPolicyStore(redis, prefix, 'all');
      await policies.set(-100, 'off');
      expect(await policies.get(-100)).toBe('off');
    } finally {
      await redis.quit();
    }
  });
});
