import { Logger } from '@nestjs/common';
import { QueueName, StatsJob, statsJobOptions, updateJobId } from '@kraken/contracts';
import { classifyUpdate, UnreadableUpdateError } from '@kraken/telegram';
import { Ctx, Next, On, Update } from 'nestjs-telegraf';
import type { Context } from 'telegraf';
import { keepMessageFact } from './update-facts';
import { updateJobsOf } from './update-jobs';

/**
 * Telegraf handlers for the update kinds Kraken subscribes to. Each stats-bearing kind is turned into
 * its fact (classifyUpdate), whose `stats` job (id `tg-<update_id>`; a job carrying a message text is
 * deleted once its fact is in PostgreSQL, statsJobOptions) joins the update's jobs (updateJobsOf); a
 * message's fact is kept for the later handlers (messageFactOf). Then `next()` hands the update to
 * feature handlers registered after this one (other `@Update()` classes: chat triggers, memes …). An
 * update we cannot read is logged and acknowledged (a well-formed update must never block Telegram's
 * delivery queue).
 */
@Update()
export class UpdateClassifier {
  private readonly logger = new Logger(UpdateClassifier.name);

  @On(['message', 'channel_post', 'edited_message', 'edited_channel_post', 'chat_member', 'my_chat_member', 'message_reaction', 'message_reaction_count'])
  async onStatsUpdate(@Ctx() ctx: Context, @Next() next: () => Promise<void>): Promise<void> {
    const updateId = ctx.update.update_id;
    try {
      const classified = classifyUpdate(ctx.update);
      if (classified) {
        if (classified.job === StatsJob.Message || classified.job === StatsJob.EditedMessage) keepMessageFact(ctx, classified.fact);
        updateJobsOf(ctx).add(QueueName.Stats, classified.job, classified.fact, { ...statsJobOptions(classified.fact), jobId: updateJobId(updateId) });
      }
    } catch (error) {
      if (!(error instanceof UnreadableUpdateError)) throw error;
      this.logger.warn({ updateId, kind: ctx.updateType }, `update ignored: ${error.message}`);
      return;
    }
    await next();
  }
}
