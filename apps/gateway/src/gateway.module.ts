import { Module } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { gatewayEnv, KrakenConfigModule, KrakenLoggerModule, type GatewayEnv } from '@kraken/config';
import { ALLOWED_UPDATES, QueueName } from '@kraken/contracts';
import { HealthModule } from '@kraken/health';
import { ObservabilityModule, observeUpdates, QueueDashboardModule } from '@kraken/observability';
import { bullRootModule, OutboxModule } from '@kraken/outbox';
import { TelegrafModule } from 'nestjs-telegraf';
import { ChatGatewayModule } from './chat/chat-gateway.module';
import { DigestGatewayModule } from './digest/digest-gateway.module';
import { IntroGatewayModule } from './intro/intro-gateway.module';
import { KnowledgeGatewayModule } from './knowledge/knowledge-gateway.module';
import { MemesGatewayModule } from './memes/memes-gateway.module';
import { TelegramSetupService } from './telegram-setup/telegram-setup.service';
import { IngestService } from './updates/ingest.service';
import { ignoreMalformedUpdates } from './updates/malformed-updates';
import { UpdateClassifier } from './updates/update-classifier.update';
import { UpdateJobsFlusher } from './updates/update-jobs-flusher.service';
import { UpdateJobsModule } from './updates/update-jobs.module';
import { WebhookController } from './webhook/webhook.controller';

/**
 * The gateway: receives updates (webhook or long polling), classifies them with Telegraf handlers and
 * enqueues each update's jobs in one Redis round trip (UpdateJobsFlusher); with OUTBOX_WORKER (default
 * true) it also runs the outbox worker (every Bot API call). Never touches PostgreSQL or the LLM.
 */
@Module({
  imports: [
    KrakenConfigModule.forRoot(gatewayEnv),
    KrakenLoggerModule.forRoot(),
    bullRootModule(),
    OutboxModule.forRoot(),
    HealthModule.forRoot({ database: false }),
    ObservabilityModule.forRoot({ app: 'gateway', queues: [QueueName.Outbox] }),
    QueueDashboardModule.forRoot(),
    TelegrafModule.forRootAsync({
      imports: [UpdateJobsModule],
      inject: [ConfigService, UpdateJobsFlusher],
      useFactory: (config: ConfigService<GatewayEnv, true>, jobs: UpdateJobsFlusher) => {
        const polling = config.get('TELEGRAM_MODE', { infer: true }) === 'polling';
        return {
          token: config.get('BOT_TOKEN', { infer: true }),
          options: { telegram: { apiRoot: config.get('TELEGRAM_API_ROOT', { infer: true }) } },
          launchOptions: polling ? { allowedUpdates: [...ALLOWED_UPDATES] } : false,
          middlewares: [observeUpdates, ignoreMalformedUpdates, jobs.middleware],
        };
      },
    }),
    // Before ChatGatewayModule: Telegraf runs handlers in module order, and the chat handlers end the chain.
    // /start and /help stop in IntroGatewayModule, so they never reach the LLM.
    IntroGatewayModule,
    MemesGatewayModule,
    DigestGatewayModule,
    KnowledgeGatewayModule,
    ChatGatewayModule,
  ],
  controllers: [WebhookController],
  providers: [UpdateClassifier, IngestService, TelegramSetupService],
})
export class GatewayModule {}
