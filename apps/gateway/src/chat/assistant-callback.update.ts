import { ASSISTANT_CALLBACK_PREFIX, AssistantJob, QueueName, updateJobId, type AssistantCallbackJob } from '@kraken/contracts';
import { Ctx, Next, On, Update } from 'nestjs-telegraf';
import type { Context } from 'telegraf';
import { updateJobsOf } from '../updates/update-jobs';
import { ANSWER_JOB_OPTIONS } from './chat-queues';

/**
 * Presses on the private assistant's inline buttons (callback data `as:…`, in a private chat) become
 * `assistant` `callback` jobs (id `tg-<update_id>`); the llm-worker checks the data and the session's
 * owner and answers the callback query. Other callback queries pass on. Runs after the meme handlers.
 */
@Update()
export class AssistantCallbackUpdate {
  @On('callback_query')
  async onCallbackQuery(@Ctx() ctx: Context, @Next() next: () => Promise<void>): Promise<void> {
    const query = ctx.callbackQuery;
    const data = query && 'data' in query ? query.data : undefined;
    const message = query?.message;
    if (!query || typeof data !== 'string' || !data.startsWith(ASSISTANT_CALLBACK_PREFIX) || !message || message.chat.type !== 'private') return next();
    const job: AssistantCallbackJob = {
      callbackQueryId: query.id,
      data: data.slice(0, 256),
      userId: query.from.id,
      chatId: message.chat.id,
      messageId: message.message_id,
      ...(typeof query.from.language_code === 'string' ? { languageCode: query.from.language_code.slice(0, 35) } : {}),
    };
    updateJobsOf(ctx).add(QueueName.Assistant, AssistantJob.Callback, job, { ...ANSWER_JOB_OPTIONS, jobId: updateJobId(ctx.update.update_id) });
  }
}
