import { audioUploads, AudioConversionError, VOICE_TEXTS } from '@kraken/assistant';
import type { BotLanguage } from '@kraken/chat';
import type { AssistantAudio } from '@kraken/contracts';
import { LlmBudgetExceededError, LlmService, LlmUnavailableError, TranscriptionRejectedError } from '@kraken/llm';
import { OutboxCallFailedError, OutboxService } from '@kraken/outbox';
import { Injectable, Logger } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { ChatNotices } from '../chat-notices';
import type { LlmWorkerEnv } from '../llm-worker.env';
import type { ReplyTarget } from '../reply-sender';
import { isFileTooBig, TelegramFiles } from '../telegram-files';

/** "Bots can download files of up to 20MB in size" (https://core.telegram.org/bots/api#getfile). */
export const BOT_API_DOWNLOAD_MAX_BYTES = 20 * 1024 * 1024;

/** Why a voice note got a message instead of an answer. */
export type VoiceRefusal = 'voice-too-large' | 'voice-unreadable' | 'voice-failed' | 'voice-empty' | 'over-budget';

/**
 * Turns a voice note, audio file or video note into the question text: `fileSize` checked against
 * the Bot API's 20 MB download limit (a larger one is refused before getFile, nothing billed) →
 * getFile through the outbox → download from `<TELEGRAM_API_ROOT>/file/bot<token>/<file_path>` →
 * audioUploads (ffmpeg converts containers the provider does not accept and splits files over
 * 25 MB) → LlmService.transcribe with ASSISTANT_TRANSCRIPTION_MODEL, billed per second at
 * ASSISTANT_TRANSCRIPTION_USD_PER_MINUTE (usage rows `<key>-stt-<n>`) → the transcript shown to the
 * user as a collapsible quote (sent and awaited through the outbox, so it arrives before the answer).
 */
@Injectable()
export class AssistantVoiceHandler {
  private readonly logger = new Logger(AssistantVoiceHandler.name);

  constructor(
    private readonly llm: LlmService,
    private readonly outbox: OutboxService,
    private readonly files: TelegramFiles,
    private readonly notices: ChatNotices,
    private readonly config: ConfigService<LlmWorkerEnv, true>,
  ) {}

  /**
   * @param key the message job's id (idempotency key of every call and row made here)
   * @returns the transcript (already shown to the user), or why the user got a message instead
   * @throws outbox, Redis and network errors other than the ones answered here (BullMQ retries the job)
   */
  async transcribe(audio: AssistantAudio, target: ReplyTarget, userId: number, key: string, language: BotLanguage): Promise<{ text: string } | { refused: VoiceRefusal }> {
    const t = VOICE_TEXTS[language];
    const say = async (html: string, refused: VoiceRefusal) => {
      await this.send(target, html, `${key}-voice`);
      return { refused };
    };
    const tooLarge = () => say(t.tooLarge(BOT_API_DOWNLOAD_MAX_BYTES / 1024 / 1024), 'voice-too-large');
    if ((audio.fileSize ?? 0) > BOT_API_DOWNLOAD_MAX_BYTES) return tooLarge();
    let bytes: Buffer;
    try {
      const file = await this.files.download(audio.fileId, { jobId: `${key}-getfile`, maxBytes: BOT_API_DOWNLOAD_MAX_BYTES });
      if (!file) return tooLarge();
      bytes = file.bytes;
    } catch (error) {
      if (isFileTooBig(error)) return tooLarge();
      if (error instanceof OutboxCallFailedError && error.errorCode === 400) return say(t.unreadable, 'voice-unreadable');
      throw error;
    }
    const timeoutMs = this.config.get('ASSISTANT_TRANSCRIPTION_TIMEOUT_MS', { infer: true });
    try {
      const uploads = await audioUploads(bytes, audio.kind, audio.mimeType, { timeoutMs });
      const texts: string[] = [];
      for (const [i, upload] of uploads.entries()) {
        const result = await this.llm.transcribe({
          file: upload.data,
          fileName: upload.fileName,
          model: this.config.get('ASSISTANT_TRANSCRIPTION_MODEL', { infer: true }),
          usdPerMinute: this.config.get('ASSISTANT_TRANSCRIPTION_USD_PER_MINUTE', { infer: true }),
          expectedSeconds: Math.ceil(audio.duration / uploads.length),
          chatId: target.chatId,
          userId,
          purpose: 'assistant-voice',
          requestKey: `${key}-stt-${i}`,
          timeoutMs,
        });
        this.logger.debug({ key, piece: i, seconds: result.seconds, language: result.language }, 'audio transcribed');
        if (result.text) texts.push(result.text);
      }
      const text = texts.join(' ').trim();
      if (!text) return say(t.empty, 'voice-empty');
      await this.send(target, t.transcript(text), `${key}-transcript`);
      return { text };
    } catch (error) {
      if (error instanceof AudioConversionError || error instanceof TranscriptionRejectedError) {
        this.logger.warn(`audio refused (${key}): ${error.message.slice(0, 300)}`);
        return say(t.unreadable, 'voice-unreadable');
      }
      if (error instanceof LlmUnavailableError) {
        this.logger.warn(`transcription failed (${key}): ${error.message.slice(0, 300)}`);
        return say(t.failed, 'voice-failed');
      }
      if (error instanceof LlmBudgetExceededError) {
        await this.notices.overBudget(target, key, error.refusal);
        return { refused: 'over-budget' };
      }
      throw error;
    }
  }

  /** Sends a Telegram-HTML reply and waits until Telegram accepted it (the transcript must precede the answer). */
  private async send(target: ReplyTarget, html: string, jobId: string): Promise<void> {
    await this.outbox.call(
      {
        method: 'sendMessage',
        params: { chat_id: target.chatId, text: html, parse_mode: 'HTML', reply_parameters: { message_id: target.messageId, allow_sending_without_reply: true } },
        chatId: target.chatId,
        isMessage: true,
      },
      { jobId },
    );
  }
}
