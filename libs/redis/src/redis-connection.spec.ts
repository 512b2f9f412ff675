import { Queue, Worker } from 'bullmq';
import { Cluster } from 'ioredis';
import { LocalRedisCluster } from '../../../test/support/redis-cluster';
import { TEST_REDIS_URL, uniquePrefix } from '../../../test/support/redis';
import { closeRedisConnections, createRedis, redisConnection, redisTarget } from './redis-connection';

const config = (env: Record<string, string>) => ({ get: (key: string) => env[key] });

describe('redisTarget', () => {
  test('one server: the URL alone', () => {
    expect(redisTarget(config({ REDIS_URL: 'redis://127.0.0.1:6379', QUEUE_PREFIX: 'kraken' }))).toEqual({ url: 'redis://127.0.0.1:6379' });
  });

  test('a cluster: the seed nodes, with a hash-tagged prefix', () => {
    const target = redisTarget(config({ REDIS_URL: 'redis://h:1', REDIS_CLUSTER_NODES: 'a:7000, b:7001', QUEUE_PREFIX: '{kraken}' }));
    expect(target).toEqual({ url: 'redis://h:1', clusterNodes: ['a:7000', 'b:7001'] });
  });

  test('a cluster with a prefix that is no hash tag is refused, naming QUEUE_PREFIX', () => {
    expect(() => redisTarget(config({ REDIS_URL: 'redis://h:1', REDIS_CLUSTER_NODES: 'a:7000', QUEUE_PREFIX: 'kraken' }))).toThrow(
      'with REDIS_CLUSTER_NODES, QUEUE_PREFIX must be a hash tag such as {kraken} (got kraken)',
    );
  });
});

describe('redisConnection and createRedis', () => {
  test('ioredis reads user, password, database and TLS from the URL; roles set retries', () => {
    const worker = redisConnection('rediss://us%40er:p%40ss@example.com:6390/3', 'worker');
    expect(worker).toMatchObject({ host: 'example.com', port: 6390, username: 'us@er', password: 'p@ss', db: 3, maxRetriesPerRequest: null });
    expect((worker as { tls?: unknown }).tls).toBeTruthy();
    const producer = redisConnection('redis://127.0.0.1:6379', 'producer');
    expect(producer).toMatchObject({ host: '127.0.0.1', port: 6379, db: 0, tls: undefined, enableOfflineQueue: false, maxRetriesPerRequest: 1 });
  });

  test('a client from the URL talks to the database the URL names', async () => {
    const key = `${uniquePrefix()}:db-check`;
    const db5 = createRedis(`${TEST_REDIS_URL}/5`, 'worker');
    const db0 = createRedis(TEST_REDIS_URL, 'worker');
    try {
      await db5.set(key, 'x', 'EX', 60);
      expect(await db0.get(key)).toBeNull();
      expect(await db5.get(key)).toBe('x');
    } finally {
      await db5.del(key);
      await Promise.all([db5.quit(), db0.quit()]);
    }
  });

  test('a cluster target gives ioredis Clusters sharing the URL credentials', () => {
    const target = { url: 'redis://:secret@127.0.0.1:1', clusterNodes: ['127.0.0.1:7000'] };
    const client = createRedis(target, 'producer', { lazyConnect: true });
    expect(client).toBeInstanceOf(Cluster);
    expect((client as Cluster).options.redisOptions).toMatchObject({ password: 'secret', maxRetriesPerRequest: 1 });
    expect((client as Cluster).options.enableOfflineQueue).toBe(false);
    client.disconnect();
  });
});

describe('on a local Redis Cluster', () => {
  let cluster: LocalRedisCluster;
  beforeAll(async () => {
    cluster = await new LocalRedisCluster(3).start();
  }, 60_000);
  afterAll(() => cluster?.stop());

  test('BullMQ runs a queue under a hash-tagged prefix; its connection closes with closeRedisConnections', async () => {
    const target = { url: cluster.url, clusterNodes: cluster.nodes.split(',') };
    const connection = redisConnection(target, 'worker') as Cluster;
    expect(connection).toBeInstanceOf(Cluster);
    const queue = new Queue('probe', { connection, prefix: `{${uniquePrefix()}}` });
    const worker = new Worker('probe', async (job) => job.data.n * 2, { connection, prefix: queue.opts.prefix });
    try {
      const { id } = await queue.add('double', { n: 21 });
      let job = await queue.getJob(id!);
      for (let i = 0; i < 200 && !(await job!.isCompleted()); i++) await new Promise((r) => setTimeout(r, 50));
      job = await queue.getJob(id!);
      expect(job!.returnvalue).toBe(42);
    } finally {
      await Promise.all([worker.close(), queue.close()]);
    }
    expect(connection.status).toBe('ready'); // BullMQ leaves a given client open…
    const ended = new Promise((resolve) => connection.once('end', resolve));
    await closeRedisConnections();
    await ended; // …and the factory closes it (else this test times out)
  }, 60_000);

  test('without the hash tag, the scripts of BullMQ fail on a cluster (why QUEUE_PREFIX must be {name})', async () => {
    const client = createRedis({ url: cluster.url, clusterNodes: cluster.nodes.split(',') }, 'worker') as Cluster;
    const queue = new Queue('probe', { connection: client, prefix: uniquePrefix() });
    try {
      await expect(queue.add('double', { n: 1 })).rejects.toThrow(/CROSSSLOT|slot/i);
    } finally {
      await queue.close();
      await client.quit();
    }
  }, 60_000);
});
