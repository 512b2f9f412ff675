import { KrakenConfigModule, KrakenLoggerModule } from '@kraken/config';
import { QueueName } from '@kraken/contracts';
import { PrismaModule } from '@kraken/db';
import { HealthModule } from '@kraken/health';
import { LlmModule } from '@kraken/llm';
import { ObservabilityModule } from '@kraken/observability';
import { bullRootModule, OutboxModule } from '@kraken/outbox';
import { QueueModule, RedisClientsModule } from '@kraken/queue';
import { BullModule } from '@nestjs/bullmq';
import { Module } from '@nestjs/common';
import { DigestCommandHandler } from './digest/digest-command.handler';
import { DigestJobHandler } from './digest/digest-job.handler';
import { DigestPublisher } from './digest/digest-publisher';
import { DigestSender } from './digest/digest-sender';
import { digestWorkerEnv } from './digest-worker.env';
import { digestWorkerProviders } from './digest-worker.providers';
import { DigestWorkerService } from './digest-worker.service';
import { MemeDecisionHandler } from './memes/meme-decision.handler';
import { MemeSubmissionHandler } from './memes/meme-submission.handler';
import { SubmissionQuota } from './memes/submission-quota';

/**
 * The digest-worker: the meme flow (submissions, moderation, channel posts) and the monthly digest
 * (schedule, publishing, /digest commands). PostgreSQL for memes, digests and statistics; the LLM for
 * headlines; every Bot API call through the outbox (producer only: the gateway runs its worker).
 */
@Module({
  imports: [
    KrakenConfigModule.forRoot(digestWorkerEnv),
    KrakenLoggerModule.forRoot(),
    PrismaModule,
    bullRootModule(),
    BullModule.registerQueue({ name: QueueName.Digest }),
    OutboxModule.forRoot(),
    QueueModule,
    RedisClientsModule,
    HealthModule.forRoot({ database: true }),
    ObservabilityModule.forRoot({ app: 'digest-worker', queues: [QueueName.Memes, QueueName.Digest] }),
    LlmModule,
  ],
  providers: [
    ...digestWorkerProviders,
    MemeSubmissionHandler,
    SubmissionQuota,
    MemeDecisionHandler,
    DigestSender,
    DigestPublisher,
    DigestCommandHandler,
    DigestJobHandler,
    DigestWorkerService,
  ],
})
export class DigestWorkerModule {}
