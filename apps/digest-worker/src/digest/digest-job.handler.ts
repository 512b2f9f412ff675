import { DIGEST_JOB_OPTIONS, DigestJob, type DigestMonthlyJob, digestPublishJobId, QueueName } from '@kraken/contracts';
import { tickMonth } from '@kraken/digest';
import { enqueue, jobQueue, type JobHandlers, type JobQueue } from '@kraken/queue';
import { InjectQueue } from '@nestjs/bullmq';
import { Injectable, Logger } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { Job, Queue } from 'bullmq';
import type { DigestWorkerEnv } from '../digest-worker.env';
import { DigestCommandHandler } from './digest-command.handler';
import { DigestPublisher } from './digest-publisher';

/**
 * The `digest` queue's handlers:
 * - `monthly` (the DIGEST_CRON scheduler tick, or a manual one with `{ month }`): adds one `publish`
 *   job per DIGEST_CHATS chat for the month before the tick's due time (job id `digest-<chat>-<month>`, so
 *   several workers' ticks add it once);
 * - `publish`: DigestPublisher (a published month is left alone);
 * - `command`: DigestCommandHandler.
 */
@Injectable()
export class DigestJobHandler {
  private readonly logger = new Logger(DigestJobHandler.name);
  private readonly queue: JobQueue<typeof QueueName.Digest>;

  constructor(
    @InjectQueue(QueueName.Digest) queue: Queue,
    private readonly publisher: DigestPublisher,
    private readonly commands: DigestCommandHandler,
    private readonly config: ConfigService<DigestWorkerEnv, true>,
  ) {
    this.queue = jobQueue(queue, QueueName.Digest);
  }

  /** The handler map of the `digest` queue (payloads validated by parseJob). */
  handlers(): JobHandlers<typeof QueueName.Digest> {
    return {
      [DigestJob.Monthly]: (data, { job }) => this.monthly(data, job),
      [DigestJob.Publish]: async ({ chatId, month }, { job, run }) => ({ outcome: await this.publisher.publish(chatId, month, String(job.id), { signal: run.signal }) }),
      [DigestJob.Command]: async (data, { job, run }) => ({ outcome: await this.commands.handle(data, job, run.signal) }),
    };
  }

  private async monthly(data: DigestMonthlyJob, job: Job): Promise<{ month: string; chats: number }> {
    const month = data.month ?? tickMonth(job, this.config.get('KRAKEN_TIMEZONE', { infer: true }));
    const chats = this.config.get('DIGEST_CHATS', { infer: true });
    for (const chatId of chats) {
      await enqueue(this.queue, DigestJob.Publish, { chatId, month }, { ...DIGEST_JOB_OPTIONS, jobId: digestPublishJobId(chatId, month) });
    }
    this.logger.log({ month, chats: chats.length }, 'monthly digests scheduled');
    return { month, chats: chats.length };
  }
}
