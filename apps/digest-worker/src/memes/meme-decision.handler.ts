import type { MemeDecisionJob } from '@kraken/contracts';
import { channelPostCaption, MEME_TEXTS, memeSendCall, MemeStore, moderationCardCaption, type MemeRecord } from '@kraken/memes';
import { ChatAdmins, OutboxService } from '@kraken/outbox';
import { Injectable, Logger } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { Job } from 'bullmq';
import type { DigestWorkerEnv } from '../digest-worker.env';

/** What a `decide` job did. */
export type DecisionOutcome = { outcome: 'ignored' | 'unknown' | 'refused' | 'already-decided' } | { outcome: 'approved' | 'rejected'; memeId: number };

/** A sent channel post as far as the handler reads it. */
interface SentMessage {
  message_id: number;
  date: number;
  chat: { id: number };
}

/**
 * Executes `decide` jobs (Approve/Reject presses, `/reject <reason>` replies to a card) in the
 * moderation chat: only its admins (ChatAdmins) may decide; the first decision wins atomically
 * (MemeStore.decide), a later press is told who decided. Then, once per meme (outbox job ids
 * `meme-<id>-…`): the card loses its buttons and its `/reject` hint and shows the decision, an approved
 * meme is posted to MEME_CHANNEL_ID with the submitter's caption and the credit line (its post recorded
 * for the reactions ranking), and the
 * submitter is told the outcome in private (when they are a user who started the bot; otherwise
 * Telegram refuses and the outbox logs it).
 */
@Injectable()
export class MemeDecisionHandler {
  private readonly logger = new Logger(MemeDecisionHandler.name);

  constructor(
    private readonly store: MemeStore,
    private readonly admins: ChatAdmins,
    private readonly outbox: OutboxService,
    private readonly config: ConfigService<DigestWorkerEnv, true>,
  ) {}

  /**
   * Handles one press or command.
   * @throws database and outbox errors (retried)
   */
  async handle(data: MemeDecisionJob, job: Job): Promise<DecisionOutcome> {
    const t = MEME_TEXTS[this.config.get('BOT_LANGUAGE', { infer: true })];
    const answer = (text: string, alert = false) => this.answer(data, String(job.id), text, alert);
    const moderationChatId = this.config.get('MEME_MODERATION_CHAT_ID', { infer: true });
    if (moderationChatId === undefined || data.chatId !== moderationChatId) return { outcome: 'ignored' };
    const meme = data.memeId !== undefined ? await this.store.find(data.memeId) : await this.store.findByCard(data.chatId, data.cardMessageId);
    if (!meme) {
      await answer(t.unknownMeme);
      return { outcome: 'unknown' };
    }
    if (!(await this.admins.isAdmin(moderationChatId, data.moderator.id))) {
      await answer(t.adminsOnly, true);
      this.logger.log({ memeId: meme.id, userId: data.moderator.id }, 'moderation press by a non-admin refused');
      return { outcome: 'refused' };
    }
    const decided = await this.store.decide(meme.id, data.action, data.moderator, data.reason);
    const current = decided ?? (await this.store.find(meme.id))!;
    // A retry of the job that decided (or the same admin pressing again) finishes the follow-ups;
    // their outbox job ids make them happen once.
    const ours = decided !== null || (current.decidedById === data.moderator.id && current.status === (data.action === 'approve' ? 'approved' : 'rejected'));
    if (!ours) {
      await answer(t.alreadyDecided(current.status === 'approved', current.decidedByName ?? '?'));
      return { outcome: 'already-decided' };
    }
    await answer(current.status === 'approved' ? t.approvedToast : t.rejectedToast);
    await this.followUp(current);
    return { outcome: current.status === 'approved' ? 'approved' : 'rejected', memeId: current.id };
  }

  /** Card update, channel post and the submitter's note of a decided meme, each once. */
  private async followUp(meme: MemeRecord): Promise<void> {
    const language = this.config.get('BOT_LANGUAGE', { infer: true });
    const t = MEME_TEXTS[language];
    const approved = meme.status === 'approved';
    if (meme.moderationChatId !== null && meme.moderationMessageId !== null) {
      await this.outbox.send(
        {
          method: 'editMessageCaption',
          params: {
            chat_id: meme.moderationChatId,
            message_id: meme.moderationMessageId,
            caption: moderationCardCaption(meme, language),
            parse_mode: 'HTML',
            reply_markup: { inline_keyboard: [] },
          },
          chatId: meme.moderationChatId,
        },
        `meme-${meme.id}-decided`,
      );
    }
    const channel = this.config.get('MEME_CHANNEL_ID', { infer: true });
    if (approved && channel !== undefined) {
      const post = await this.outbox.call<SentMessage>(
        memeSendCall(meme.kind, meme.fileId, channel, channelPostCaption(meme, this.config.get('MEME_CREDIT', { infer: true }), language)),
        { jobId: `meme-${meme.id}-post` },
      );
      await this.store.markPosted(meme.id, post.chat.id, post.message_id, post.date);
    }
    if (meme.submitterId > 0) {
      await this.outbox.send(
        {
          method: 'sendMessage',
          params: { chat_id: meme.submitterId, text: approved ? t.approvedNote : t.rejectedNote(meme.reason), parse_mode: 'HTML' },
          chatId: meme.submitterId,
          isMessage: true,
        },
        `meme-${meme.id}-note`,
      );
    }
  }

  /** Answers the button press (a toast, or an alert), or replies to the `/reject` command. */
  private async answer(data: MemeDecisionJob, jobId: string, text: string, alert: boolean): Promise<void> {
    if (data.callbackQueryId) {
      await this.outbox.send(
        // Telegram shows at most 200 characters of a callback answer (https://core.telegram.org/bots/api#answercallbackquery).
        { method: 'answerCallbackQuery', params: { callback_query_id: data.callbackQueryId, text: text.slice(0, 200), show_alert: alert } },
        `${jobId}-answer`,
      );
      return;
    }
    await this.outbox.send(
      {
        method: 'sendMessage',
        params: { chat_id: data.chatId, text, reply_parameters: { message_id: data.commandMessageId ?? data.cardMessageId, allow_sending_without_reply: true } },
        chatId: data.chatId,
        isMessage: true,
      },
      `${jobId}-answer`,
    );
  }
}
