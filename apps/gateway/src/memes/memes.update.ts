import { Inject } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { chatKeys, claimNotice } from '@kraken/chat';
import type { GatewayEnv } from '@kraken/config';
import { type MemeDecisionJob, MemeJob, parseMemeCallbackData, QueueName, UPDATE_JOB_OPTIONS, updateJobId } from '@kraken/contracts';
import { MEME_TEXTS, personOf, personOfUser, readRejectCommand, readSubmission } from '@kraken/memes';
import { OutboxService } from '@kraken/outbox';
import type { RedisClient } from '@kraken/redis';
import { Ctx, Next, On, Update } from 'nestjs-telegraf';
import type { Context } from 'telegraf';
import { GATEWAY_REDIS } from '../gateway-redis.provider';
import type { MessageContext } from '../updates/update-contexts';
import { commandOf } from '../updates/update-facts';
import { updateJobsOf } from '../updates/update-jobs';

/**
 * Telegraf handlers of the meme flow. They run after UpdateClassifier (which collected the stats job)
 * and before the chat handlers. Messages that are the meme flow's business — a photo, video or GIF
 * sent in private, `/meme`, `/reject` replying to a card — stop here; a group message with the
 * hashtag is enqueued and still passes on (`next()`), as does everything else.
 * - submissions (see readSubmission) → `submit` job, id `tg-<update_id>`;
 * - `/meme` without a media message to reply to → a usage hint through the outbox, at most once per
 *   user per chat per CHAT_REFUSAL_WINDOW_SECONDS (a flood of `/meme` gets one hint);
 * - Approve/Reject presses (`meme:a|r:<id>` callback data) and `/reject <reason>` → `decide` job.
 * Jobs join the update's others (updateJobsOf); queue errors propagate, so the webhook answers 5xx
 * and Telegram redelivers (job ids dedupe).
 */
@Update()
export class MemesUpdate {
  private readonly hashtag: string;
  private readonly language: GatewayEnv['BOT_LANGUAGE'];
  private readonly prefix: string;
  private readonly hintWindowSeconds: number;

  constructor(
    private readonly outbox: OutboxService,
    @Inject(GATEWAY_REDIS) private readonly redis: RedisClient,
    config: ConfigService<GatewayEnv, true>,
  ) {
    this.hashtag = config.get('MEME_HASHTAG', { infer: true });
    this.language = config.get('BOT_LANGUAGE', { infer: true });
    this.prefix = config.get('QUEUE_PREFIX', { infer: true });
    this.hintWindowSeconds = config.get('CHAT_REFUSAL_WINDOW_SECONDS', { infer: true });
  }

  /** A new message: a submission, a `/meme` needing a hint, or `/reject`; anything else passes on. */
  @On('message')
  async onMessage(@Ctx() ctx: MessageContext, @Next() next: () => Promise<void>): Promise<void> {
    const updateId = ctx.update.update_id;
    const message = ctx.message;
    const command = commandOf(ctx);
    const submission = readSubmission(updateId, message, command, this.hashtag);
    if (submission?.kind === 'submit') {
      updateJobsOf(ctx).add(QueueName.Memes, MemeJob.Submit, submission.job, { ...UPDATE_JOB_OPTIONS, jobId: updateJobId(updateId) });
      if (submission.job.via === 'hashtag') await next();
      return;
    }
    if (submission?.kind === 'hint') {
      const { chat, messageId } = submission;
      const jobId = `meme-hint-${chat.id}-${messageId}`;
      const marker = chatKeys.notice(this.prefix, 'meme-hint', chat.id, message.from?.id ?? 0);
      if (!(await claimNotice(this.redis, marker, jobId, this.hintWindowSeconds))) return;
      await this.outbox.send(
        {
          method: 'sendMessage',
          params: { chat_id: chat.id, text: MEME_TEXTS[this.language].hint, reply_parameters: { message_id: messageId, allow_sending_without_reply: true } },
          chatId: chat.id,
          isMessage: true,
        },
        jobId,
      );
      return;
    }
    const reject = readRejectCommand(message, command, ctx.botInfo?.id ?? 0);
    const moderator = personOf(message);
    if (reject && moderator) {
      const job: MemeDecisionJob = {
        updateId,
        action: 'reject',
        moderator,
        chatId: message.chat.id,
        cardMessageId: reject.cardMessageId,
        commandMessageId: message.message_id,
        ...(reject.reason ? { reason: reject.reason } : {}),
      };
      updateJobsOf(ctx).add(QueueName.Memes, MemeJob.Decide, job, { ...UPDATE_JOB_OPTIONS, jobId: updateJobId(updateId) });
      return;
    }
    await next();
  }

  /** A button press: moderation buttons become `decide` jobs; other callback data passes on. */
  @On('callback_query')
  async onCallbackQuery(@Ctx() ctx: Context, @Next() next: () => Promise<void>): Promise<void> {
    const query = ctx.callbackQuery;
    const decision = query && 'data' in query ? parseMemeCallbackData(query.data) : null;
    const card = query?.message;
    if (!query || !decision || !card) return next();
    const job: MemeDecisionJob = {
      updateId: ctx.update.update_id,
      action: decision.action,
      memeId: decision.memeId,
      moderator: personOfUser(query.from),
      chatId: card.chat.id,
      cardMessageId: card.message_id,
      callbackQueryId: query.id,
    };
    updateJobsOf(ctx).add(QueueName.Memes, MemeJob.Decide, job, { ...UPDATE_JOB_OPTIONS, jobId: updateJobId(ctx.update.update_id) });
  }
}
