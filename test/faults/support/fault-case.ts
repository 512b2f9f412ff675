import { replayUpdates, type ReplaySummary } from '@kraken/export';
import { SECRET, type Deployment } from '../../ops/support/deployment';
import { replyDeliveries, statsMismatches, MONTHS, UPDATES, type Replies } from '../../ops/support/expectations';

/** What a fault case measured once the system settled. */
export interface FaultOutcome {
  replay: ReplaySummary;
  /** Differences from the reference statistics (empty: every month exact). */
  mismatches: string[];
  /** Replies accepted by Telegram (the emulator) once, and those accepted never or more than once. */
  replies: { delivered: number; lost: unknown[]; doubled: unknown[] };
  replyCount: number;
}

/**
 * Replays the real export through the deployment's webhook at `rate` updates/s and, when given, runs
 * `fault` once `at` (0-1) of the updates are delivered; resolves when both are done.
 */
export async function replayWithFault(deployment: Deployment, options: { rate: number; at?: number; fault?: () => Promise<void> }): Promise<ReplaySummary> {
  let fault: Promise<void> | undefined;
  const replay = await replayUpdates(UPDATES, {
    webhook: deployment.webhook,
    secret: SECRET,
    rate: options.rate,
    concurrency: 8,
    maxRetries: 40,
    onProgress: (sent, total) => {
      if (options.fault && sent === Math.floor(total * (options.at ?? 0))) fault = options.fault();
    },
  });
  await fault;
  return replay;
}

/**
 * Waits for the stats queue, `queues` (e.g. the chat queues) and the outbox to drain, then compares
 * statistics and outbox replies.
 */
export async function settle(deployment: Deployment, replay: ReplaySummary, replies: Replies, queues: string[] = []): Promise<FaultOutcome> {
  for (const queue of ['stats', ...queues, 'outbox']) await deployment.idle(queue);
  return {
    replay,
    mismatches: await statsMismatches(deployment),
    replies: replyDeliveries(deployment.emulator, replies),
    replyCount: replies.texts.length,
  };
}

/** True when nothing was lost or doubled and every month equals the reference. */
export function passed(outcome: FaultOutcome): boolean {
  const { replay, mismatches, replies } = outcome;
  return replay.delivered === replay.total && mismatches.length === 0 && replies.lost.length === 0 && replies.doubled.length === 0;
}

/**
 * Prints the case's one-line result, e.g.
 * `FAULT redis-restart | Redis SIGKILLed … | updates 1917/1917 (53 retried) | months 19/19 exact | replies 40/40, lost 0, doubled 0 | PASS | 41 s`.
 */
export function printResult(name: string, fault: string, outcome: FaultOutcome, startedAt: number): void {
  const { replay, mismatches, replies, replyCount } = outcome;
  const badMonths = new Set(mismatches.map((m) => m.slice(0, 7))).size;
  const line = [
    `FAULT ${name}`,
    fault,
    `updates ${replay.delivered}/${replay.total} (${replay.retries} retried)`,
    `months ${MONTHS.length - badMonths}/${MONTHS.length} exact`,
    `replies ${replies.delivered}/${replyCount}, lost ${replies.lost.length}, doubled ${replies.doubled.length}`,
    passed(outcome) ? 'PASS' : 'FAIL',
    `${Math.round((Date.now() - startedAt) / 1000)} s`,
  ].join(' | ');
  process.stdout.write(`\n${line}\n`);
}

/** Resolves after `ms`. */
export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
