import { KrakenConfigModule, KrakenLoggerModule } from '@kraken/config';
import { AccountRepository } from '@kraken/auth';
import { PrismaModule, PrismaService } from '@kraken/db';
import { QueueName } from '@kraken/contracts';
import { HealthModule } from '@kraken/health';
import { LlmModule } from '@kraken/llm';
import { ObservabilityModule } from '@kraken/observability';
import { bullRootModule, OutboxModule } from '@kraken/outbox';
import { QueueModule, RedisClientsModule } from '@kraken/queue';
import { Module } from '@nestjs/common';
import { AnswerJobHandler } from './answer-job.handler';
import { ASSISTANT_PROVIDERS } from './assistant/assistant.providers';
import { ChatNotices } from './chat-notices';
import { chatWorkerProviders } from './chat-worker.providers';
import { CommandJobHandler } from './command-job.handler';
import { ContextJobHandler } from './context-job.handler';
import { KNOWLEDGE_PROVIDERS } from './knowledge';
import { LinkCommandHandler } from './link-command.handler';
import { llmWorkerEnv } from './llm-worker.env';
import { LlmWorkerService } from './llm-worker.service';
import { ReplySender } from './reply-sender';
import { TelegramFiles } from './telegram-files';

/**
 * The llm-worker: keeps the chats' rolling context, answers triggers with the LLM (grounded in the
 * chat's knowledge base when it has one), runs /usage, /policy, /link (attaching a Telegram user to an
 * HTTP API account), recaps and /kb; in private chats it is the private assistant (ASSISTANT_PROVIDERS:
 * sessions in PostgreSQL, the model registry, commands and buttons, `assistant` queue). Sends every Bot API call through the outbox (producer only; the gateway runs its worker).
 */
@Module({
  imports: [
    KrakenConfigModule.forRoot(llmWorkerEnv),
    KrakenLoggerModule.forRoot(),
    PrismaModule,
    bullRootModule(),
    OutboxModule.forRoot(),
    QueueModule,
    RedisClientsModule,
    HealthModule.forRoot({ database: true }),
    ObservabilityModule.forRoot({ app: 'llm-worker', queues: [QueueName.ChatAnswers, QueueName.ChatContext, QueueName.ChatKnowledge, QueueName.Assistant] }),
    LlmModule,
  ],
  providers: [
    ...chatWorkerProviders,
    ReplySender,
    TelegramFiles,
    ChatNotices,
    AnswerJobHandler,
    CommandJobHandler,
    LinkCommandHandler,
    { provide: AccountRepository, inject: [PrismaService], useFactory: (prisma: PrismaService) => new AccountRepository(prisma) },
    ContextJobHandler,
    LlmWorkerService,
    ...KNOWLEDGE_PROVIDERS,
    ...ASSISTANT_PROVIDERS,
  ],
})
export class LlmWorkerModule {}
