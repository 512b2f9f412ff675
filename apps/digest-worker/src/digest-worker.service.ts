import { DigestJob, MemeJob, QueueName } from '@kraken/contracts';
import { QueueWorkers } from '@kraken/queue';
import { Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { DigestJobHandler } from './digest/digest-job.handler';
import type { DigestWorkerEnv } from './digest-worker.env';
import { MemeDecisionHandler } from './memes/meme-decision.handler';
import { MemeSubmissionHandler } from './memes/meme-submission.handler';

/** Job scheduler id of the monthly digest (one scheduler however many workers upsert it). */
export const MONTHLY_SCHEDULER_ID = 'monthly-digest';
/** Digest jobs one worker runs at once (they wait on the LLM and the outbox, not on the CPU). */
const DIGEST_CONCURRENCY = 2;
/** Times a job may stall (its worker died) before BullMQ fails it; re-runs are safe by design. */
const MAX_STALLED = 3;

/**
 * Starts the digest-worker's workers (QueueWorkers): `memes` (submissions and decisions,
 * MEME_WORKER_CONCURRENCY at once) and `digest` (ticks, publishing, commands, with the
 * `monthly-digest` job scheduler: DIGEST_CRON in KRAKEN_TIMEZONE), with DIGEST_LOCK_MS locks so a job
 * of a killed worker is taken over by another after that long.
 */
@Injectable()
export class DigestWorkerService implements OnApplicationBootstrap {
  private readonly logger = new Logger(DigestWorkerService.name);

  constructor(
    private readonly submissions: MemeSubmissionHandler,
    private readonly decisions: MemeDecisionHandler,
    private readonly digests: DigestJobHandler,
    private readonly workers: QueueWorkers,
    private readonly config: ConfigService<DigestWorkerEnv, true>,
  ) {}

  /** Starts both workers and upserts the monthly scheduler. */
  async onApplicationBootstrap(): Promise<void> {
    const lockDuration = this.config.get('DIGEST_LOCK_MS', { infer: true });
    const common = { lockDuration, stalledInterval: lockDuration, maxStalledCount: MAX_STALLED };
    await this.workers.start(
      QueueName.Memes,
      {
        [MemeJob.Submit]: (data, { job }) => this.submissions.handle(data, job),
        [MemeJob.Decide]: (data, { job }) => this.decisions.handle(data, job),
      },
      { ...common, concurrency: this.config.get('MEME_WORKER_CONCURRENCY', { infer: true }) },
    );
    await this.workers.start(QueueName.Digest, this.digests.handlers(), {
      ...common,
      concurrency: DIGEST_CONCURRENCY,
      schedules: [
        {
          id: MONTHLY_SCHEDULER_ID,
          pattern: this.config.get('DIGEST_CRON', { infer: true }),
          tz: this.config.get('KRAKEN_TIMEZONE', { infer: true }),
          name: DigestJob.Monthly,
        },
      ],
    });
    this.logger.log({ pid: process.pid }, 'digest worker started');
  }
}
