import { createHash } from 'node:crypto';
import { Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { commandMenu, MENU_SCOPES } from '@kraken/chat';
import { ALLOWED_UPDATES } from '@kraken/contracts';
import { BOT_LANGUAGES, type GatewayEnv } from '@kraken/config';
import { OutboxService } from '@kraken/outbox';
import { InjectBot } from 'nestjs-telegraf';
import type { Telegraf } from 'telegraf';
import type { UserFromGetMe } from 'telegraf/types';

/** How long start-up waits for each Bot API call through the outbox (ms). */
const SETUP_TIMEOUT_MS = 30_000;

/**
 * Start-up calls through the outbox. Both modes: the command menus, one setMyCommands per scope
 * (private chats, group members, group admins) and language — the default list in BOT_LANGUAGE and
 * one each for `ru` and `en` users (https://core.telegram.org/bots/api#setmycommands); enqueued, not
 * awaited, with job ids derived from the content, so replicas starting together or a restart with
 * unchanged menus send nothing twice. Webhook mode: getMe (Telegraf needs `botInfo` to read commands
 * and mentions; setting it here keeps Telegraf from calling the API itself), then setWebhook with
 * `secret_token` and `allowed_updates` when WEBHOOK_URL is set. Polling mode: Telegraf's own launch
 * calls getMe and getUpdates (the inbound channel). A failure of getMe or setWebhook stops start-up.
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
    await this.setCommandMenus();
    if (this.config.get('TELEGRAM_MODE', { infer: true }) !== 'webhook') return;
    this.bot.botInfo = await this.outbox.call<UserFromGetMe>({ method: 'getMe', params: {} }, { timeoutMs: SETUP_TIMEOUT_MS });
    const url = this.config.get('WEBHOOK_URL', { infer: true });
    if (!url) {
      this.logger.warn('WEBHOOK_URL is not set: setWebhook skipped (updates must be posted to this gateway directly)');
      return;
    }
    await this.outbox.call(
      {
        method: 'setWebhook',
        params: { url, secret_token: this.config.get('WEBHOOK_SECRET', { infer: true }), allowed_updates: [...ALLOWED_UPDATES] },
      },
      { timeoutMs: SETUP_TIMEOUT_MS },
    );
    this.logger.log({ url }, 'webhook registered');
  }

  /** Enqueues the setMyCommands calls (see the class comment). @throws the Redis error. */
  private async setCommandMenus(): Promise<void> {
    const defaultLanguage = this.config.get('BOT_LANGUAGE', { infer: true });
    for (const scope of MENU_SCOPES) {
      for (const language of [undefined, ...BOT_LANGUAGES]) {
        const params = { commands: commandMenu(scope, language ?? defaultLanguage), scope: { type: scope }, ...(language ? { language_code: language } : {}) };
        const digest = createHash('sha256').update(JSON.stringify(params)).digest('hex').slice(0, 16);
        await this.outbox.send({ method: 'setMyCommands', params }, `commands-${scope}-${language ?? 'default'}-${digest}`);
      }
    }
    this.logger.debug({ scopes: MENU_SCOPES }, 'command menus enqueued');
  }
}
