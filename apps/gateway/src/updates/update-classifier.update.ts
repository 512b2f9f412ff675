import { Logger } from '@nestjs/common';
import { classifyUpdate, UnreadableUpdateError } from '@kraken/telegram';
import { Ctx, Next, On, Update } from 'nestjs-telegraf';
import type { Context } from 'telegraf';
import { UpdateEnqueuer } from './update-enqueuer.service';

/**
 * Telegraf handlers for the update kinds Kraken subscribes to. Each stats-bearing kind is turned into
 * its fact (classifyUpdate) and enqueued, then `next()` hands the update to feature handlers registered
 * after this one (other `@Update()` classes: chat triggers, memes …). An update we cannot read is logged and acknowledged (a
 * well-formed update must never block Telegram's delivery queue); queue errors propagate so the
 * webhook answers 5xx.
 */
@Update()
export class UpdateClassifier {
  private readonly logger = new Logger(UpdateClassifier.name);

  constructor(private readonly enqueuer: UpdateEnqueuer) {}

  @On(['message', 'channel_post', 'edited_message', 'edited_channel_post', 'chat_member', 'my_chat_member', 'message_reaction', 'message_reaction_count'])
  async onStatsUpdate(@Ctx() ctx: Context, @Next() next: () => Promise<void>): Promise<void> {
    const updateId = ctx.update.update_id;
    try {
      const classified = classifyUpdate(ctx.update);
      if (classified) await this.enqueuer.enqueue(classified.job, classified.fact, updateId);
    } catch (error) {
      if (!(error instanceof UnreadableUpdateError)) throw error;
      this.logger.warn({ updateId, kind: ctx.updateType }, `update ignored: ${error.message}`);
      return;
    }
    await next();
  }
}
