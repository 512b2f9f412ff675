import { Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { ALLOWED_UPDATES } from '@kraken/contracts';
import type { GatewayEnv } from '@kraken/config';
import { OutboxService } from '@kraken/outbox';
import { InjectBot } from 'nestjs-telegraf';
import type { Telegraf } from 'telegraf';
import type { UserFromGetMe } from 'telegraf/types';

/** How long start-up waits for each Bot API call through the outbox (ms). */
const SETUP_TIMEOUT_MS = 30_000;

/**
 * Start-up calls through the outbox. Webhook mode: getMe (Telegraf needs `botInfo` to read commands
 * and mentions; setting it here keeps Telegraf from calling the API itself), then setWebhook with
 * `secret_token` and `allowed_updates` when WEBHOOK_URL is set. Polling mode: Telegraf's own launch
 * calls getMe and getUpdates (the inbound channel). A failure stops start-up.
 */
@Injectable()
export class TelegramSetupService implements OnApplicationBootstrap {
  private readonly logger = new Logger(TelegramSetupService.name);

  constructor(
    private readonly outbox: OutboxService,
    private readonly config: ConfigService<GatewayEnv, true>,
    @InjectBot() private readonly bot: Telegraf,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if (this.config.get('TELEGRAM_MODE', { infer: true }) !== 'webhook') return;
    this.bot.botInfo = await this.outbox.callAndWait<UserFromGetMe>({ method: 'getMe', params: {} }, { timeoutMs: SETUP_TIMEOUT_MS });
    const url = this.config.get('WEBHOOK_URL', { infer: true });
    if (!url) {
      this.logger.warn('WEBHOOK_URL is not set: setWebhook skipped (updates must be posted to this gateway directly)');
      return;
    }
    await this.outbox.callAndWait(
      {
        method: 'setWebhook',
        params: { url, secret_token: this.config.get('WEBHOOK_SECRET', { infer: true }), allowed_updates: [...ALLOWED_UPDATES] },
      },
      { timeoutMs: SETUP_TIMEOUT_MS },
    );
    this.logger.log({ url }, 'webhook registered');
  }
}
