import { DIGEST_JOB_OPTIONS, DigestJob, DigestMonthlyJobSchema, DigestPublishJobSchema, DigestQueueName, digestPublishJobId } from '@kraken/contracts';
import { tickMonth } from '@kraken/digest';
import { InjectQueue } from '@nestjs/bullmq';
import { Injectable, Logger } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { UnrecoverableError, type Job, type Queue } from 'bullmq';
import type { DigestWorkerEnv } from '../digest-worker.env';
import { DigestCommandHandler } from './digest-command.handler';
import { DigestPublisher } from './digest-publisher';

/**
 * Dispatches the `digest` queue's jobs:
 * - `monthly` (the DIGEST_CRON scheduler tick, or a manual one with `{ month }`): adds one `publish`
 *   job per DIGEST_CHATS chat for the month before the tick's due time (job id `digest-<chat>-<month>`, so
 *   several workers' ticks add it once);
 * - `publish`: DigestPublisher (a published month is left alone);
 * - `command`: DigestCommandHandler.
 */
@Injectable()
export class DigestJobHandler {
  private readonly logger = new Logger(DigestJobHandler.name);

  constructor(
    @InjectQueue(DigestQueueName.Digest) private readonly queue: Queue,
    private readonly publisher: DigestPublisher,
    private readonly commands: DigestCommandHandler,
    private readonly config: ConfigService<DigestWorkerEnv, true>,
  ) {}

  /**
   * Runs one job.
   * @param signal the run's JobRun.signal: aborted when the job was handed back at shutdown
   * @throws UnrecoverableError for an invalid payload or unknown job name
   */
  async handle(job: Job, signal?: AbortSignal): Promise<unknown> {
    switch (job.name) {
      case DigestJob.Monthly:
        return this.monthly(job);
      case DigestJob.Publish: {
        const parsed = DigestPublishJobSchema.safeParse(job.data);
        if (!parsed.success) throw new UnrecoverableError(`invalid publish payload: ${parsed.error.message.slice(0, 300)}`);
        return { outcome: await this.publisher.publish(parsed.data.chatId, parsed.data.month, String(job.id), { signal }) };
      }
      case DigestJob.Command:
        return { outcome: await this.commands.handle(job, signal) };
      default:
        throw new UnrecoverableError(`unknown digest job "${job.name}"`);
    }
  }

  private async monthly(job: Job): Promise<{ month: string; chats: number }> {
    const parsed = DigestMonthlyJobSchema.safeParse(job.data ?? {});
    if (!parsed.success) throw new UnrecoverableError(`invalid monthly payload: ${parsed.error.message.slice(0, 300)}`);
    const month = parsed.data.month ?? tickMonth(job, this.config.get('KRAKEN_TIMEZONE', { infer: true }));
    const chats = this.config.get('DIGEST_CHATS', { infer: true });
    for (const chatId of chats) {
      await this.queue.add(DigestJob.Publish, { chatId, month }, { ...DIGEST_JOB_OPTIONS, jobId: digestPublishJobId(chatId, month) });
    }
    this.logger.log({ month, chats: chats.length }, 'monthly digests scheduled');
    return { month, chats: chats.length };
  }
}
