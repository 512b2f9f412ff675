import { KnowledgeJob, KnowledgeQueueName } from '@kraken/contracts';
import { redisConnection, redisTarget } from '@kraken/queue';
import { WorkerRegistry } from '@kraken/health';
import { observeJob } from '@kraken/observability';
import { BeforeApplicationShutdown, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { UnrecoverableError, Worker, type Job } from 'bullmq';
import type { LlmWorkerEnv } from '../llm-worker.env';
import { KbChats } from './kb-chats';
import { KbCommandHandler } from './kb-command.handler';
import { KbProbeHandler } from './kb-probe.handler';
import { RecapJobHandler } from './recap-job.handler';

/**
 * Runs the `chat-knowledge` worker (recaps, `/kb` commands, knowledge-base probes) with
 * LLM_WORKER_CONCURRENCY and the same lock settings as the answers; mirrors the chats with a
 * knowledge base to Redis at start-up; drains within SHUTDOWN_GRACE_MS on shutdown.
 */
@Injectable()
export class KnowledgeWorkerService implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(KnowledgeWorkerService.name);
  private worker?: Worker;

  constructor(
    private readonly recaps: RecapJobHandler,
    private readonly commands: KbCommandHandler,
    private readonly probes: KbProbeHandler,
    private readonly chats: KbChats,
    private readonly config: ConfigService<LlmWorkerEnv, true>,
    private readonly registry: WorkerRegistry,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const chats = await this.chats.sync();
    const lockDuration = this.config.get('LLM_WORKER_LOCK_MS', { infer: true });
    this.worker = new Worker(KnowledgeQueueName, (job, token) => observeJob(job, token, () => this.run(job, token ?? '')), {
      connection: redisConnection(redisTarget(this.config), 'worker'),
      prefix: this.config.get('QUEUE_PREFIX', { infer: true }),
      lockDuration,
      stalledInterval: lockDuration,
      maxStalledCount: 2,
      concurrency: this.config.get('LLM_WORKER_CONCURRENCY', { infer: true }),
    });
    this.worker.on('failed', (job, error) => this.logger.warn({ jobId: job?.id, job: job?.name, attempts: job?.attemptsMade }, `${KnowledgeQueueName} job failed: ${error.message}`));
    this.worker.on('error', (error) => this.logger.error(`${KnowledgeQueueName} worker error: ${error.message}`));
    this.registry.register(this.worker);
    this.logger.log({ kbChats: chats }, 'knowledge worker started');
  }

  async beforeApplicationShutdown(): Promise<void> {
    if (this.worker) await this.registry.drain(this.worker);
  }

  private run(job: Job, token: string): Promise<unknown> {
    if (job.name === KnowledgeJob.Recap) return this.recaps.handle(job, token);
    if (job.name === KnowledgeJob.Command) return this.commands.handle(job, token);
    if (job.name === KnowledgeJob.Probe) return this.probes.handle(job);
    throw new UnrecoverableError(`unknown knowledge job "${job.name}"`);
  }
}
