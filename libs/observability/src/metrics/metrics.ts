import { Counter, Gauge, Histogram } from 'prom-client';

/** Buckets of the job histograms, in seconds: 5 ms … 10 min. */
const JOB_SECONDS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 600];

/** How a job run ended, as counted in `kraken_jobs_total{outcome}`. */
export type JobOutcome = 'completed' | 'retried' | 'failed' | 'delayed' | 'rate_limited' | 'waiting_children';

/**
 * What became of one outbox call, as counted in `kraken_outbox_sends_total{outcome}`:
 * `sent` (Telegram answered ok), `already_sent` (a re-run found the stored result), `429`
 * (flood control: retried after retry_after), `permanent_error` (4xx, kept in the failed set),
 * `transient_error` (network error, 5xx, 401: retried with back-off).
 */
export type OutboxSendOutcome = 'sent' | 'already_sent' | '429' | 'permanent_error' | 'transient_error';

/**
 * Kraken's Prometheus metrics (prom-client, default registry; served by `GET /metrics`). Every
 * process exports the ones it uses; series are labelled `app=<process>` (see ObservabilityModule).
 * Call them from anywhere, e.g. `Metrics.llmTokens.inc({ model, kind: 'prompt' }, n)`.
 */
export const Metrics = {
  /** Telegram updates handed to the gateway's handlers, by update kind (`message`, `chat_member` …). */
  updatesReceived: new Counter({
    name: 'kraken_updates_received_total',
    help: 'Telegram updates received by the gateway, by update kind',
    labelNames: ['kind'] as const,
  }),
  /** Webhook answers by HTTP status (200 accepted, 503 Redis refused the job, 401 wrong secret …). */
  webhookResponses: new Counter({
    name: 'kraken_webhook_responses_total',
    help: 'Webhook responses by HTTP status',
    labelNames: ['status'] as const,
  }),
  /** Job runs of this process by queue and outcome (see JobOutcome). */
  jobs: new Counter({
    name: 'kraken_jobs_total',
    help: 'BullMQ job runs by queue and outcome',
    labelNames: ['queue', 'outcome'] as const,
  }),
  /** Processing time of a job run, seconds, by queue and outcome. */
  jobDuration: new Histogram({
    name: 'kraken_job_duration_seconds',
    help: 'Time a job run took in the processor, by queue and outcome',
    labelNames: ['queue', 'outcome'] as const,
    buckets: JOB_SECONDS,
  }),
  /** Time from a job becoming due (added, or its delay over) to its run starting, seconds. */
  jobWait: new Histogram({
    name: 'kraken_job_wait_seconds',
    help: 'Time a job waited in the queue before this run started, by queue',
    labelNames: ['queue'] as const,
    buckets: JOB_SECONDS,
  }),
  /** Running jobs given back to the queue because a shutdown's grace period ran out. */
  jobsHandedBack: new Counter({
    name: 'kraken_jobs_handed_back_total',
    help: 'Running jobs moved back to the wait list at shutdown after the grace period',
    labelNames: ['queue'] as const,
  }),
  /** Jobs per queue and state, read from Redis at each scrape by the process consuming the queue. */
  queueJobs: new Gauge({
    name: 'kraken_queue_jobs',
    help: 'Jobs in a queue by state (wait, active, delayed, prioritized, waiting-children, failed, paused)',
    labelNames: ['queue', 'state'] as const,
  }),
  /** Bot API calls made by the outbox worker, by method and outcome (see OutboxSendOutcome). */
  outboxSends: new Counter({
    name: 'kraken_outbox_sends_total',
    help: 'Outbox Bot API calls by method and outcome (sent, already_sent, 429, permanent_error, transient_error)',
    labelNames: ['method', 'outcome'] as const,
  }),
  /** LLM tokens used, by model and kind (`prompt` or `completion`). */
  llmTokens: new Counter({
    name: 'kraken_llm_tokens_total',
    help: 'LLM tokens by model and kind (prompt, completion)',
    labelNames: ['model', 'kind'] as const,
  }),
  /** LLM spend in US dollars, by model (from the configured price table). */
  llmCostUsd: new Counter({
    name: 'kraken_llm_cost_usd_total',
    help: 'LLM cost in USD by model',
    labelNames: ['model'] as const,
  }),
};
