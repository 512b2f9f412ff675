import { ChatJob, ContextJob, QueueName } from '@kraken/contracts';
import { QueueWorkers } from '@kraken/queue';
import { Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { AnswerJobHandler } from './answer-job.handler';
import { CommandJobHandler } from './command-job.handler';
import { ContextJobHandler } from './context-job.handler';
import { LinkCommandHandler } from './link-command.handler';
import type { LlmWorkerEnv } from './llm-worker.env';
import { llmLockOptions } from './worker-limits';


/**
 * Starts the workers of the chat feature (QueueWorkers): `chat-answers` (answers and commands, `/link`
 * included, concurrency LLM_WORKER_CONCURRENCY) and `chat-context` (LLM_CONTEXT_CONCURRENCY). Locks
 * last LLM_WORKER_LOCK_MS: a job of a killed worker is taken over after that, and its idempotency keys
 * make the re-run send nothing twice. At start-up the chats' question policies are mirrored from
 * PostgreSQL to Redis.
 */
@Injectable()
export class LlmWorkerService implements OnApplicationBootstrap {
  private readonly logger = new Logger(LlmWorkerService.name);

  constructor(
    private readonly answers: AnswerJobHandler,
    private readonly commands: CommandJobHandler,
    private readonly links: LinkCommandHandler,
    private readonly context: ContextJobHandler,
    private readonly config: ConfigService<LlmWorkerEnv, true>,
    private readonly workers: QueueWorkers,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const synced = await this.commands.syncPolicies();
    const common = llmLockOptions(this.config);
    await this.workers.start(
      QueueName.ChatAnswers,
      {
        [ChatJob.Answer]: (data, { job, token }) => this.answers.handle(data, job, token),
        [ChatJob.Command]: (data, { job, run }) => (data.command === 'link' ? this.links.handle(data, job) : this.commands.handle(data, job, run.signal)),
      },
      { ...common, concurrency: this.config.get('LLM_WORKER_CONCURRENCY', { infer: true }) },
    );
    await this.workers.start(
      QueueName.ChatContext,
      { [ContextJob.Message]: (fact) => this.context.handle(fact) },
      { ...common, concurrency: this.config.get('LLM_CONTEXT_CONCURRENCY', { infer: true }) },
    );
    this.logger.log({ policies: synced }, 'llm worker started');
  }
}
