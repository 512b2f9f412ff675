import { Agent } from 'node:http';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { Queue } from 'bullmq';
import { QueueName } from '@kraken/contracts';
import { redisConnection } from '@kraken/redis';
import { BotApiEmulator, freePort, startApp } from '@kraken/testing';
import { BENCH_REDIS_URL, BENCH_WEBHOOK_SECRET as SECRET, benchPrefix, percentile, postWebhook as post } from './bench-env';
import { textUpdate } from './synthetic-updates';



/** Results of the ingest benchmark. */
export interface IngestFigures {
  addCeilingPerSec: number;
  ingestPerSec: number;
  fixedRate: { targetPerSec: number; achievedPerSec: number; p50Ms: number; p99Ms: number; errors: number; stalls: Stalls };
}

/**
 * Where the fixed-rate run's tail can come from, measured during that run: the gateway's garbage
 * collection (total pause time, and pauses over 10 ms) and its longest event-loop stall (any cause:
 * GC, a blocking call, or being descheduled), from its own Prometheus process metrics; and the load
 * generator's (this process's) longest event-loop stall, which adds to the answer times it measures.
 */
export interface Stalls {
  gatewayGcMs: number;
  gatewayGcPausesOver10Ms: number;
  gatewayLoopMaxMs: number;
  generatorLoopMaxMs: number;
}

/** The gateway's GC and event-loop figures from its `GET /metrics` (prom-client's default process metrics). */
async function processMetrics(port: number): Promise<{ gcMs: number; gcOver10Ms: number; loopMaxMs: number }> {
  const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
  const sum = (pattern: RegExp) => [...text.matchAll(pattern)].reduce((total, m) => total + Number(m[1]), 0);
  const count = sum(/^nodejs_gc_duration_seconds_count\{[^}]*\} (\S+)$/gm);
  const within10Ms = sum(/^nodejs_gc_duration_seconds_bucket\{le="0\.01"[^}]*\} (\S+)$/gm);
  return {
    gcMs: sum(/^nodejs_gc_duration_seconds_sum\{[^}]*\} (\S+)$/gm) * 1000,
    gcOver10Ms: count - within10Ms,
    loopMaxMs: sum(/^nodejs_eventloop_lag_max_seconds\{[^}]*\} (\S+)$/gm) * 1000,
  };
}


/** Sequential `queue.add` of `n` jobs, as fast as one client can: the same machine's ceiling. */
async function addCeiling(prefix: string, n: number): Promise<number> {
  const queue = new Queue('bench-add', { connection: redisConnection(BENCH_REDIS_URL, 'producer'), prefix });
  const data = { payload: 'x'.repeat(300) };
  const started = performance.now();
  for (let i = 0; i < n; i++) await queue.add('job', data, { jobId: `b-${i}`, removeOnComplete: true });
  const perSec = n / ((performance.now() - started) / 1000);
  await queue.obliterate({ force: true });
  await queue.close();
  return perSec;
}

/**
 * Webhook ingest through a real gateway process: maximum throughput with 32 requests in flight, then an
 * open-loop run at a fixed rate measuring each request's answer time; beside it the BullMQ sequential add
 * ceiling (mean of a run before and one after). The load generator is Node's http client on the same
 * cores, so the gateway's figure is a floor.
 */
export async function benchIngest(options = { burst: 10_000, ratePerSec: 1000, seconds: 5, addJobs: 5000 }): Promise<IngestFigures> {
  const prefix = benchPrefix();
  const emulator = new BotApiEmulator();
  const apiRoot = await emulator.start();
  const port = await freePort();
  const gateway = await startApp(
    'gateway',
    { REDIS_URL: BENCH_REDIS_URL, QUEUE_PREFIX: prefix, BOT_TOKEN: '123456:bench', TELEGRAM_API_ROOT: apiRoot, TELEGRAM_MODE: 'webhook',
      WEBHOOK_SECRET: SECRET, PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'info' },
  );
  const agent = new Agent({ keepAlive: true, maxSockets: 64 });
  try {
    const addBefore = await addCeiling(prefix, options.addJobs);

    let next = 0;
    const started = performance.now();
    await Promise.all(
      Array.from({ length: 32 }, async () => {
        while (next < options.burst) await post(agent, port, JSON.stringify(textUpdate(next++)));
      }),
    );
    const ingestPerSec = options.burst / ((performance.now() - started) / 1000);

    const total = options.ratePerSec * options.seconds;
    // Scraping resets the gateway's event-loop delay histogram, so the second scrape covers this run only.
    const metricsBefore = await processMetrics(port);
    const generatorLoop = monitorEventLoopDelay({ resolution: 1 });
    generatorLoop.enable();
    const latencies: number[] = [];
    let errors = 0;
    const t0 = performance.now();
    const inFlight: Promise<void>[] = [];
    for (let i = 0; i < total; i++) {
      const due = t0 + (i * 1000) / options.ratePerSec;
      const wait = due - performance.now();
      if (wait > 1) await new Promise((r) => setTimeout(r, wait));
      const sent = performance.now();
      inFlight.push(
        post(agent, port, JSON.stringify(textUpdate(options.burst + i))).then(
          (status) => {
            latencies.push(performance.now() - sent);
            if (status !== 200) errors++;
          },
          () => void errors++,
        ),
      );
    }
    await Promise.all(inFlight);
    const achievedPerSec = total / ((performance.now() - t0) / 1000);
    generatorLoop.disable();
    const metricsAfter = await processMetrics(port);
    const stalls: Stalls = {
      gatewayGcMs: metricsAfter.gcMs - metricsBefore.gcMs,
      gatewayGcPausesOver10Ms: metricsAfter.gcOver10Ms - metricsBefore.gcOver10Ms,
      gatewayLoopMaxMs: metricsAfter.loopMaxMs,
      generatorLoopMaxMs: generatorLoop.max / 1e6,
    };
    // The ceiling is measured before and after the gateway runs and averaged, so drift in this noisy
    // machine's speed affects both sides of the ratio alike.
    const addCeilingPerSec = (addBefore + (await addCeiling(prefix, options.addJobs))) / 2;
    const stats = new Queue(QueueName.Stats, { connection: redisConnection(BENCH_REDIS_URL, 'producer'), prefix });
    await stats.obliterate({ force: true });
    await stats.close();
    return {
      addCeilingPerSec,
      ingestPerSec,
      fixedRate: { targetPerSec: options.ratePerSec, achievedPerSec, p50Ms: percentile(latencies, 50), p99Ms: percentile(latencies, 99), errors, stalls },
    };
  } finally {
    agent.destroy();
    await gateway.stop();
    await emulator.stop();
  }
}
