import { Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { ALLOWED_UPDATES } from '@kraken/contracts';
import { InjectBot } from 'nestjs-telegraf';
import type { Telegraf } from 'telegraf';
import type { Update } from 'telegraf/types';

/** Thrown for a body that is not a Telegram update at all (answered 400). */
export class NotAnUpdateError extends Error {
  override name = 'NotAnUpdateError';
}

const KNOWN_KINDS = new Set<string>(ALLOWED_UPDATES);

/**
 * Feeds one update to Telegraf, whose handlers (UpdateClassifier and the features') decide its jobs and
 * whose UpdateJobsFlusher middleware enqueues them. Kinds Kraken
 * does not subscribe to are acknowledged and ignored with a debug log. Queue errors propagate to the
 * caller: nestjs-telegraf's default `bot.catch` only logs, so it is replaced by one that rethrows.
 */
@Injectable()
export class IngestService implements OnModuleInit {
  private readonly logger = new Logger(IngestService.name);

  constructor(@InjectBot() private readonly bot: Telegraf) {}

  onModuleInit(): void {
    this.bot.catch((error) => {
      throw error;
    });
  }

  /**
   * @param body a parsed JSON webhook body (or a getUpdates item).
   * @throws NotAnUpdateError when `body` is not an object with a non-negative integer `update_id`.
   * @throws EnqueueFailedError when Redis did not accept the update's jobs.
   */
  async ingest(body: unknown): Promise<void> {
    if (typeof body !== 'object' || body === null || Array.isArray(body)) throw new NotAnUpdateError('expected a JSON object');
    const updateId = (body as { update_id?: unknown }).update_id;
    if (typeof updateId !== 'number' || !Number.isSafeInteger(updateId) || updateId < 0) {
      throw new NotAnUpdateError('expected a non-negative integer "update_id"');
    }
    const kind = Object.keys(body).find((key) => KNOWN_KINDS.has(key));
    const payload = kind ? (body as Record<string, unknown>)[kind] : undefined;
    if (!kind || typeof payload !== 'object' || payload === null) {
      const kinds = Object.keys(body).filter((k) => k !== 'update_id');
      this.logger.debug({ updateId, kinds }, 'update of an unhandled kind acknowledged and ignored');
      return;
    }
    await this.bot.handleUpdate(body as Update);
  }
}
