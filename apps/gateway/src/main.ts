import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { exitIfPortUnavailable, gatewayEnv, loadConfigOrExit } from '@kraken/config';
import { installGracefulShutdown } from '@kraken/health';
import { countWebhookResponses, initSentry } from '@kraken/observability';
import { getBotToken } from 'nestjs-telegraf';
import { Logger } from 'nestjs-pino';
import type { Telegraf } from 'telegraf';
import { GatewayModule } from './gateway.module';
import { WEBHOOK_ROUTE } from './webhook/webhook.controller';
import { webhookSecretCheck } from './webhook/webhook-secret.middleware';
import { exitOnStartupError } from '@kraken/queue';

/**
 * Starts the gateway HTTP server (webhook, health, metrics, queue dashboard) and, per TELEGRAM_MODE,
 * long polling. SIGTERM: readiness turns 503, polling stops, in-flight webhook requests finish, the
 * outbox worker drains, then connections close (installGracefulShutdown).
 */
async function bootstrap(): Promise<void> {
  const config = loadConfigOrExit(gatewayEnv);
  await exitIfPortUnavailable('PORT', config.PORT, config.HOST);
  initSentry({ app: 'gateway', ...config });
  const app = await NestFactory.create<NestExpressApplication>(GatewayModule, { bufferLogs: true, bodyParser: false });
  app.useLogger(app.get(Logger));
  // Before the body parser: 413 answers are counted too, and a request without the secret is refused
  // before its body is parsed.
  app.use(`/${WEBHOOK_ROUTE}`, countWebhookResponses, webhookSecretCheck(config.WEBHOOK_SECRET));
  app.useBodyParser('json', { limit: config.WEBHOOK_MAX_BODY_BYTES });
  // nestjs-telegraf calls bot.stop() at application shutdown, which throws "Bot is not running!" when
  // the bot was never launched (webhook mode) or was already stopped. Polling is stopped first thing
  // on SIGTERM instead (stopIntake: updates fetched but not yet confirmed are redelivered on restart,
  // and their job ids dedupe them), so the hook must be a no-op in both modes.
  const bot = app.get<Telegraf>(getBotToken());
  const stopPolling = config.TELEGRAM_MODE === 'polling' ? bot.stop.bind(bot) : undefined;
  bot.stop = () => undefined;
  installGracefulShutdown(app, { graceMs: config.SHUTDOWN_GRACE_MS, stopIntake: () => stopPolling?.('SIGTERM') });
  await app.listen(config.PORT, config.HOST);
  app.get(Logger).log(`gateway listening on ${await app.getUrl()} (${config.TELEGRAM_MODE} mode)`);
}

bootstrap().catch(exitOnStartupError);
