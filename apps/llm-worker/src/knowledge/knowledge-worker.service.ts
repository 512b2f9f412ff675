import { KnowledgeJob, QueueName } from '@kraken/contracts';
import { QueueWorkers } from '@kraken/queue';
import { Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { LlmWorkerEnv } from '../llm-worker.env';
import { llmLockOptions } from '../worker-limits';
import { KbChats } from './kb-chats';
import { KbCommandHandler } from './kb-command.handler';
import { KbProbeHandler } from './kb-probe.handler';
import { RecapJobHandler } from './recap-job.handler';

/**
 * Starts the `chat-knowledge` worker (QueueWorkers: recaps, `/kb` commands, knowledge-base probes)
 * with LLM_WORKER_CONCURRENCY and the same lock settings as the answers; mirrors the chats with a
 * knowledge base to Redis at start-up.
 */
@Injectable()
export class KnowledgeWorkerService implements OnApplicationBootstrap {
  private readonly logger = new Logger(KnowledgeWorkerService.name);

  constructor(
    private readonly recaps: RecapJobHandler,
    private readonly commands: KbCommandHandler,
    private readonly probes: KbProbeHandler,
    private readonly chats: KbChats,
    private readonly config: ConfigService<LlmWorkerEnv, true>,
    private readonly workers: QueueWorkers,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const chats = await this.chats.sync();
    await this.workers.start(
      QueueName.ChatKnowledge,
      {
        [KnowledgeJob.Recap]: (data, { job, token }) => this.recaps.handle(data, job, token),
        [KnowledgeJob.Command]: (data, { job, token }) => this.commands.handle(data, job, token),
        [KnowledgeJob.Probe]: (data) => this.probes.handle(data),
      },
      { ...llmLockOptions(this.config), concurrency: this.config.get('LLM_WORKER_CONCURRENCY', { infer: true }) },
    );
    this.logger.log({ kbChats: chats }, 'knowledge worker started');
  }
}
