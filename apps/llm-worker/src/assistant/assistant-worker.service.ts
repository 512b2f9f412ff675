import { AssistantJob, QueueName } from '@kraken/contracts';
import { QueueWorkers } from '@kraken/queue';
import { Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { LlmWorkerEnv } from '../llm-worker.env';
import { llmLockOptions } from '../worker-limits';
import { AssistantCallbackHandler } from './assistant-callback.handler';
import { AssistantCommandHandler } from './assistant-command.handler';
import { AssistantMessageHandler } from './assistant-message.handler';

/**
 * Starts the private assistant's worker (`assistant` queue: messages, commands, button presses;
 * concurrency LLM_WORKER_CONCURRENCY, locks LLM_WORKER_LOCK_MS like `chat-answers`). The model
 * registry it reads was seeded when LlmModule started (loadRegistryModels in @kraken/llm).
 */
@Injectable()
export class AssistantWorkerService implements OnApplicationBootstrap {
  private readonly logger = new Logger(AssistantWorkerService.name);

  constructor(
    private readonly messages: AssistantMessageHandler,
    private readonly commands: AssistantCommandHandler,
    private readonly callbacks: AssistantCallbackHandler,
    private readonly config: ConfigService<LlmWorkerEnv, true>,
    private readonly workers: QueueWorkers,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.workers.start(
      QueueName.Assistant,
      {
        [AssistantJob.Message]: (data, { job, token, run }) => this.messages.handle(data, job, token, run.signal),
        [AssistantJob.Command]: (data, { job }) => this.commands.handle(data, job),
        [AssistantJob.Callback]: (data, { job }) => this.callbacks.handle(data, job),
      },
      { ...llmLockOptions(this.config), concurrency: this.config.get('LLM_WORKER_CONCURRENCY', { infer: true }) },
    );
    this.logger.log('assistant worker started');
  }
}
