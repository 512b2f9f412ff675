import { ChatJob, ChatQueueName } from '@kraken/contracts';
import { redisConnection, redisTarget } from '@kraken/queue';
import { WorkerRegistry } from '@kraken/health';
import { observeJob } from '@kraken/observability';
import { BeforeApplicationShutdown, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { UnrecoverableError, Worker, type Job } from 'bullmq';
import { AnswerJobHandler } from './answer-job.handler';
import { CommandJobHandler } from './command-job.handler';
import { ContextJobHandler } from './context-job.handler';
import { LinkCommandHandler } from './link-command.handler';
import type { LlmWorkerEnv } from './llm-worker.env';

/**
 * Runs the BullMQ workers of the chat feature: `chat-answers` (answers and commands, `/link` included, concurrency
 * LLM_WORKER_CONCURRENCY) and `chat-context` (LLM_CONTEXT_CONCURRENCY). Locks last LLM_WORKER_LOCK_MS:
 * a job of a killed worker is taken over after that, and its idempotency keys make the re-run send
 * nothing twice. At start-up the chats' question policies are mirrored from PostgreSQL to Redis. Each
 * job runs through observeJob (log context, metrics, Sentry). On shutdown the workers stop taking jobs
 * and drain within SHUTDOWN_GRACE_MS (WorkerRegistry): running jobs finish or are handed back.
 */
@Injectable()
export class LlmWorkerService implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(LlmWorkerService.name);
  private readonly workers: Worker[] = [];

  constructor(
    private readonly answers: AnswerJobHandler,
    private readonly commands: CommandJobHandler,
    private readonly links: LinkCommandHandler,
    private readonly context: ContextJobHandler,
    private readonly config: ConfigService<LlmWorkerEnv, true>,
    private readonly registry: WorkerRegistry,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const synced = await this.commands.syncPolicies();
    const connection = redisConnection(redisTarget(this.config), 'worker');
    const prefix = this.config.get('QUEUE_PREFIX', { infer: true });
    const lockDuration = this.config.get('LLM_WORKER_LOCK_MS', { infer: true });
    const common = { connection, prefix, lockDuration, stalledInterval: lockDuration, maxStalledCount: 2 };
    this.workers.push(
      new Worker(ChatQueueName.Answers, (job, token) => observeJob(job, token, (run) => this.answer(job, token ?? '', run.signal)), { ...common, concurrency: this.config.get('LLM_WORKER_CONCURRENCY', { infer: true }) }),
      new Worker(ChatQueueName.Context, (job, token) => observeJob(job, token, () => this.context.handle(job)), { ...common, concurrency: this.config.get('LLM_CONTEXT_CONCURRENCY', { infer: true }) }),
    );
    for (const worker of this.workers) {
      worker.on('failed', (job, error) =>
        this.logger.warn({ jobId: job?.id, job: job?.name, attempts: job?.attemptsMade }, `${worker.name} job failed: ${error.message}`),
      );
      worker.on('error', (error) => this.logger.error(`${worker.name} worker error: ${error.message}`));
      this.registry.register(worker);
    }
    this.logger.log({ policies: synced }, 'llm worker started');
  }

  async beforeApplicationShutdown(): Promise<void> {
    await Promise.all(this.workers.map((worker) => this.registry.drain(worker)));
  }

  private answer(job: Job, token: string, signal: AbortSignal): Promise<unknown> {
    if (job.name === ChatJob.Answer) return this.answers.handle(job, token);
    if (job.name === ChatJob.Command) return (job.data as { command?: unknown } | undefined)?.command === 'link' ? this.links.handle(job) : this.commands.handle(job, signal);
    throw new UnrecoverableError(`unknown chat job "${job.name}"`);
  }
}
