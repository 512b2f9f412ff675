import { type KbProbeJob, QueueName } from '@kraken/contracts';
import { redisConnection, redisTarget } from '@kraken/redis';
import { KnowledgeBase } from '@kraken/kb';
import { Injectable, OnApplicationShutdown } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { Queue } from 'bullmq';
import type { LlmWorkerEnv } from '../llm-worker.env';

/**
 * Executes `kb-probe` jobs: a question waiting under the `quiet` policy whose best knowledge-base
 * section scores at least KB_STRONG_SCORE (or whose vector similarity passes KB_MIN_SIMILARITY) is
 * answered at once: its delayed answer job is promoted. Otherwise the question keeps waiting for a
 * human. A job already gone (a human replied) or already running is left alone.
 */
@Injectable()
export class KbProbeHandler implements OnApplicationShutdown {
  private answers?: Queue;

  constructor(
    private readonly kb: KnowledgeBase,
    private readonly config: ConfigService<LlmWorkerEnv, true>,
  ) {}

  /** @returns whether the answer was promoted. */
  async handle({ message, answerJobId }: KbProbeJob): Promise<{ promoted: boolean; score?: number }> {
    const [best] = await this.kb.search(message.text ?? '', message.chat.id, 1);
    if (!best) return { promoted: false };
    const strong = best.score >= this.config.get('KB_STRONG_SCORE', { infer: true }) || (best.similarity ?? 0) >= this.config.get('KB_MIN_SIMILARITY', { infer: true });
    if (!strong) return { promoted: false, score: best.score };
    const answer = await this.queue().getJob(answerJobId);
    if (!answer || !(await answer.isDelayed())) return { promoted: false, score: best.score };
    await answer.promote();
    return { promoted: true, score: best.score };
  }

  async onApplicationShutdown(): Promise<void> {
    await this.answers?.close();
  }

  private queue(): Queue {
    this.answers ??= new Queue(QueueName.ChatAnswers, {
      connection: redisConnection(redisTarget(this.config), 'worker'),
      prefix: this.config.get('QUEUE_PREFIX', { infer: true }),
    });
    return this.answers;
  }
}
