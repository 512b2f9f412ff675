import { memeCallbackData, type MemeSubmitJob } from '@kraken/contracts';
import { MEME_TEXTS, memeSendCall, MemeStore, moderationCardCaption, type MemeRecord } from '@kraken/memes';
import { OutboxService } from '@kraken/outbox';
import { Injectable, Logger } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { Job } from 'bullmq';
import type { DigestWorkerEnv } from '../digest-worker.env';
import { SubmissionQuota } from './submission-quota';

/** What a `submit` job did. */
export type SubmissionOutcome = { outcome: 'disabled' | 'duplicate' | 'over-quota' } | { outcome: 'sent-to-moderation'; memeId: number };

/** A sent message as far as the handler reads it. */
interface SentMessage {
  message_id: number;
  chat: { id: number };
}

/**
 * Executes `submit` jobs: records the meme (a file already submitted from another message is refused
 * politely), sends its card (the media, a caption naming author and submitter with the submitter's
 * caption — moderationCardCaption — and Approve/Reject buttons) to
 * MEME_MODERATION_CHAT_ID, and tells the submitter it went to moderation. Outbox job ids derive from
 * the meme id (`meme-<id>-card`, `meme-<id>-ack`), so a retried job sends nothing twice. A submitter
 * over MEME_SUBMISSIONS_PER_DAY (SubmissionQuota) is told once that day; later submissions that day
 * are dropped without an answer.
 */
@Injectable()
export class MemeSubmissionHandler {
  private readonly logger = new Logger(MemeSubmissionHandler.name);

  constructor(
    private readonly store: MemeStore,
    private readonly outbox: OutboxService,
    private readonly quota: SubmissionQuota,
    private readonly config: ConfigService<DigestWorkerEnv, true>,
  ) {}

  /**
   * Handles one submission.
   * @throws database and outbox errors (retried)
   */
  async handle(data: MemeSubmitJob, job: Job): Promise<SubmissionOutcome> {
    const t = MEME_TEXTS[this.config.get('BOT_LANGUAGE', { infer: true })];
    const moderationChatId = this.config.get('MEME_MODERATION_CHAT_ID', { infer: true });
    if (moderationChatId === undefined) {
      await this.reply(data, t.disabled, `${job.id}-off`);
      return { outcome: 'disabled' };
    }
    const admitted = await this.quota.admit(data.submitter.id, String(job.id), new Date(data.date * 1000));
    if (admitted !== 'admitted') {
      if (admitted === 'over') await this.reply(data, t.overQuota(this.quota.limit), `${job.id}-quota`);
      this.logger.log({ submitterId: data.submitter.id, told: admitted === 'over' }, 'meme submission over the daily quota');
      return { outcome: 'over-quota' };
    }
    const outcome = await this.store.submit(data, this.countedChat(data));
    if (outcome.kind === 'duplicate') {
      await this.reply(data, t.duplicate, `${job.id}-dup`);
      this.logger.log({ memeId: outcome.meme.id }, 'duplicate meme refused');
      return { outcome: 'duplicate' };
    }
    const meme = outcome.meme;
    if (meme.moderationMessageId === null) await this.sendCard(meme, moderationChatId);
    await this.reply(data, t.received, `meme-${meme.id}-ack`);
    return { outcome: 'sent-to-moderation', memeId: meme.id };
  }

  /** The chat a meme is counted for: the group it was submitted in, else MEME_CHAT_ID, else the first DIGEST_CHATS. */
  private countedChat(data: MemeSubmitJob): number | null {
    if (data.via !== 'private') return data.chat.id;
    return this.config.get('MEME_CHAT_ID', { infer: true }) ?? this.config.get('DIGEST_CHATS', { infer: true })[0] ?? null;
  }

  private async sendCard(meme: MemeRecord, moderationChatId: number): Promise<void> {
    const language = this.config.get('BOT_LANGUAGE', { infer: true });
    const t = MEME_TEXTS[language];
    const keyboard = {
      inline_keyboard: [
        [
          { text: t.approveButton, callback_data: memeCallbackData('approve', meme.id) },
          { text: t.rejectButton, callback_data: memeCallbackData('reject', meme.id) },
        ],
      ],
    };
    const card = await this.outbox.call<SentMessage>(
      memeSendCall(meme.kind, meme.fileId, moderationChatId, moderationCardCaption(meme, language), keyboard),
      { jobId: `meme-${meme.id}-card` },
    );
    await this.store.attachCard(meme.id, card.chat.id, card.message_id);
  }

  private async reply(data: MemeSubmitJob, text: string, jobId: string): Promise<void> {
    await this.outbox.send(
      {
        method: 'sendMessage',
        params: { chat_id: data.chat.id, text, parse_mode: 'HTML', reply_parameters: { message_id: data.replyToMessageId, allow_sending_without_reply: true } },
        chatId: data.chat.id,
        isMessage: true,
      },
      jobId,
    );
  }
}
