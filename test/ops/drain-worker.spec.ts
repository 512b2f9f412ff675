import { drainWorker } from '@kraken/health';
import { JobHandedBackError, observeJob } from '@kraken/observability';
import { Queue, QueueEvents, Worker } from 'bullmq';
import { dropPrefix, TEST_REDIS_URL, uniquePrefix } from '../support/redis';

const connection = (() => {
  const u = new URL(TEST_REDIS_URL);
  return { host: u.hostname, port: Number(u.port || 6379), maxRetriesPerRequest: null };
})();

/**
 * drainWorker (graceful shutdown of one BullMQ worker): running jobs finish within the grace period;
 * a job still running when it ends is handed back and completed by another worker, once.
 */
describe('drainWorker', () => {
  const prefix = uniquePrefix('kdrain');
  const queue = new Queue('drain', { connection, prefix });
  const events = new QueueEvents('drain', { connection, prefix });
  const workers: Worker[] = [];

  afterAll(async () => {
    await Promise.all(workers.map((w) => w.close(true)));
    await events.close();
    await queue.close();
    await dropPrefix(prefix);
  });

  /** A worker whose jobs take `ms` and record where they completed. */
  function startWorker(name: string, ms: number, done: string[]): Worker {
    const worker = new Worker(
      'drain',
      (job, token) =>
        observeJob(job, token, async () => {
          await new Promise((r) => setTimeout(r, ms));
          done.push(`${name}:${job.id}`);
        }),
      { connection, prefix, concurrency: 4 },
    );
    workers.push(worker);
    return worker;
  }

  test('running jobs finish within the grace period and nothing new is taken', async () => {
    await events.waitUntilReady();
    const done: string[] = [];
    const worker = startWorker('a', 300, done);
    await worker.waitUntilReady();
    const active = new Promise((resolve) => worker.once('active', resolve));
    await queue.add('job', {}, { jobId: 'quick-1' });
    await active;
    const result = await drainWorker(worker, 5000);
    expect(result).toEqual({ finished: true, handedBack: [], ended: [], inFlight: [] });
    expect(done).toEqual(['a:quick-1']);
    await queue.add('job', {}, { jobId: 'quick-2' });
    await new Promise((r) => setTimeout(r, 500));
    expect(await queue.getJobState('quick-2')).toBe('waiting');
  });

  test('a job outliving the grace period is handed back at once and completed elsewhere, once', async () => {
    await queue.drain();
    const done: string[] = [];
    const slow = startWorker('slow', 3000, done);
    slow.on('error', () => undefined); // the abandoned run can no longer renew or release its lock
    await slow.waitUntilReady();
    const active = new Promise((resolve) => slow.once('active', resolve));
    const job = await queue.add('job', {}, { jobId: 'long-1' });
    await active;
    const result = await drainWorker(slow, 500);
    expect(result).toEqual({ finished: false, handedBack: ['long-1'], ended: [], inFlight: [] });
    expect(['waiting', 'prioritized']).toContain(await queue.getJobState('long-1'));
    startWorker('b', 10, done);
    await job.waitUntilFinished(events, 10_000);
    expect(done).toEqual(['b:long-1']); // in a real shutdown the process exits and the abandoned run with it
  });

  test('a handed-back run is aborted: it stops waiting and starts no new call', async () => {
    await Promise.all(workers.splice(0).map((w) => w.close(true)));
    await queue.drain();
    const events: string[] = [];
    const worker = new Worker(
      'drain',
      (job, token) =>
        observeJob(job, token, async (run) => {
          await new Promise<void>((resolve) => run.signal.addEventListener('abort', () => resolve(), { once: true }));
          events.push(`aborted: ${(run.signal.reason as Error).name}`);
          await run.withoutHandBack(async () => events.push('call started')).catch((error: Error) => events.push(`call refused: ${error.name}`));
        }),
      { connection, prefix, concurrency: 1 },
    );
    workers.push(worker);
    worker.on('error', () => undefined);
    const active = new Promise((resolve) => worker.once('active', resolve));
    await queue.add('job', {}, { jobId: 'waiting-1' });
    await active;
    const result = await drainWorker(worker, 300);
    expect(result.handedBack).toEqual(['waiting-1']);
    await new Promise((r) => setTimeout(r, 100));
    expect(events).toEqual([`aborted: ${JobHandedBackError.name}`, `call refused: ${JobHandedBackError.name}`]);
  });

  test('a job whose call is in flight when the grace period ends is not handed back: the call settles and the job completes here', async () => {
    await Promise.all(workers.splice(0).map((w) => w.close(true)));
    await queue.drain();
    const calls: string[] = [];
    const worker = new Worker(
      'drain',
      (job, token) =>
        observeJob(job, token, (run) =>
          run.withoutHandBack(async () => {
            calls.push(`started ${job.id}`);
            await new Promise((r) => setTimeout(r, 1200)); // a slow Bot API call
            calls.push(`answered ${job.id}`);
            return 'sent';
          }),
        ),
      { connection, prefix, concurrency: 1 },
    );
    workers.push(worker);
    const active = new Promise((resolve) => worker.once('active', resolve));
    await queue.add('job', {}, { jobId: 'in-flight-1' });
    await active;
    const result = await drainWorker(worker, 300);
    expect(result).toEqual({ finished: false, handedBack: [], ended: ['in-flight-1'], inFlight: [] });
    expect(calls).toEqual(['started in-flight-1', 'answered in-flight-1']);
    await new Promise((r) => setTimeout(r, 200));
    expect(await queue.getJobState('in-flight-1')).toBe('completed');
  });
});
