import http, { type IncomingMessage } from 'node:http';
import https from 'node:https';
import type { UpdateQueue } from './update-queue';

/** setWebhook parameters the emulator acts on (https://core.telegram.org/bots/api#setwebhook). */
export interface WebhookSettings {
  url: string;
  secretToken?: string;
  maxConnections?: number;
  ipAddress?: string;
}

/** Processes a webhook response whose body is a method call (Telegram's "reply to webhook"). */
export type WebhookReplyHandler = (response: IncomingMessage) => Promise<void>;

/** How long one delivery may take before it counts as failed. */
const DELIVERY_TIMEOUT_MS = 30_000;

/**
 * Pushes queued updates to the bot's webhook like Telegram does: HTTPS/HTTP POST of one Update as
 * JSON, with the `X-Telegram-Bot-Api-Secret-Token` header when a secret_token was set; a 2xx
 * answer confirms the update, anything else is recorded as `last_error_message` and retried after
 * `retryMs`. A 2xx body holding `{ "method": … }` is executed as a Bot API call
 * (https://core.telegram.org/bots/faq#how-can-i-make-requests-in-response-to-updates).
 * Unlike Telegram (up to max_connections in parallel) updates go one at a time, in order.
 */
export class WebhookDelivery {
  private settings?: WebhookSettings;
  private running = false;
  private lastError?: { date: number; message: string };
  private cancelSleep?: () => void;

  constructor(
    private readonly queue: UpdateQueue,
    private readonly handleReply: WebhookReplyHandler,
    private readonly retryMs = 1000,
    private readonly nowMs: () => number = Date.now,
  ) {
    queue.onPush(() => this.kick());
  }

  /** Whether a webhook is set (getUpdates then answers 409). */
  get active(): boolean {
    return this.settings !== undefined;
  }

  /** setWebhook: starts delivering pending and future updates to `settings.url`. */
  set(settings: WebhookSettings): void {
    this.settings = settings;
    this.lastError = undefined;
    this.kick();
  }

  /** deleteWebhook (or stop): no more deliveries; a delivery under way finishes. */
  delete(): void {
    this.settings = undefined;
    this.lastError = undefined;
    this.cancelSleep?.();
  }

  /** getWebhookInfo's WebhookInfo (https://core.telegram.org/bots/api#webhookinfo). */
  info(): Record<string, unknown> {
    const info: Record<string, unknown> = {
      url: this.settings?.url ?? '',
      has_custom_certificate: false,
      pending_update_count: this.queue.pendingCount(),
    };
    if (this.settings) {
      info.max_connections = this.settings.maxConnections ?? 40;
      if (this.settings.ipAddress) info.ip_address = this.settings.ipAddress;
      const allowed = this.queue.allowedUpdates();
      if (allowed.length > 0) info.allowed_updates = allowed;
    }
    if (this.lastError) {
      info.last_error_date = this.lastError.date;
      info.last_error_message = this.lastError.message;
    }
    return info;
  }

  private kick(): void {
    if (!this.settings || this.running) return;
    this.running = true;
    void this.run().finally(() => {
      this.running = false;
    });
  }

  private async run(): Promise<void> {
    for (;;) {
      const settings = this.settings;
      const [update] = this.queue.peek(1);
      if (!settings || !update) return;
      try {
        const response = await post(settings, JSON.stringify(update));
        const status = response.statusCode ?? 0;
        if (status >= 200 && status < 300) {
          this.queue.confirm(update.update_id + 1);
          await this.handleReply(response).catch(() => undefined);
          continue;
        }
        response.resume();
        this.fail(`Wrong response from the webhook: ${status} ${response.statusMessage ?? ''}`.trim());
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        this.fail(code === 'ECONNREFUSED' ? 'Connection refused' : (error as Error).message);
      }
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, this.retryMs);
        this.cancelSleep = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      this.cancelSleep = undefined;
    }
  }

  private fail(message: string): void {
    this.lastError = { date: Math.floor(this.nowMs() / 1000), message };
  }
}

/** POSTs one update; resolves with the response (body unread). */
function post(settings: WebhookSettings, body: string): Promise<IncomingMessage> {
  const url = new URL(settings.url);
  const transport = url.protocol === 'https:' ? https : http;
  const headers: Record<string, string | number> = {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(body),
  };
  if (settings.secretToken) headers['x-telegram-bot-api-secret-token'] = settings.secretToken;
  return new Promise((resolve, reject) => {
    const request = transport.request(url, { method: 'POST', headers, timeout: DELIVERY_TIMEOUT_MS }, resolve);
    request.on('timeout', () => request.destroy(new Error('Read timeout expired')));
    request.on('error', reject);
    request.end(body);
  });
}
