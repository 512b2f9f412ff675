import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { gatewayEnv, loadConfigOrExit } from '@kraken/config';
import { getBotToken } from 'nestjs-telegraf';
import { Logger } from 'nestjs-pino';
import type { Telegraf } from 'telegraf';
import { GatewayModule } from './gateway.module';

/** Starts the gateway HTTP server (webhook) or long polling, per TELEGRAM_MODE. */
async function bootstrap(): Promise<void> {
  const config = loadConfigOrExit(gatewayEnv);
  const app = await NestFactory.create<NestExpressApplication>(GatewayModule, { bufferLogs: true, bodyParser: false });
  app.useLogger(app.get(Logger));
  app.useBodyParser('json', { limit: config.WEBHOOK_MAX_BODY_BYTES });
  if (config.TELEGRAM_MODE === 'webhook') {
    // nestjs-telegraf calls bot.stop() on shutdown, which throws "Bot is not running!" when the bot was
    // never launched (webhook mode); nothing runs inside Telegraf to stop here.
    const bot = app.get<Telegraf>(getBotToken());
    bot.stop = () => undefined;
  }
  app.enableShutdownHooks();
  await app.listen(config.PORT, config.HOST);
  app.get(Logger).log(`gateway listening on ${await app.getUrl()} (${config.TELEGRAM_MODE} mode)`);
}

void bootstrap();
