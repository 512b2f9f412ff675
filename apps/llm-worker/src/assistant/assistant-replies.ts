import { OutboxService } from '@kraken/outbox';
import { Injectable } from '@nestjs/common';

/** An inline keyboard button with callback data (https://core.telegram.org/bots/api#inlinekeyboardbutton). */
export interface CallbackButton {
  text: string;
  callback_data: string;
}

/** A private chat and, optionally, the message a reply quotes. */
export interface AssistantTarget {
  chatId: number;
  messageId?: number;
}

/**
 * The assistant's short messages and callback answers, through the outbox (job ids from the caller's
 * idempotency key, so a re-run job sends nothing twice). Long LLM answers go through ReplySender.deliverParts.
 */
@Injectable()
export class AssistantReplies {
  constructor(private readonly outbox: OutboxService) {}

  /**
   * Enqueues a Telegram-HTML message to `target` (quoting its message when given), with an inline
   * keyboard (`keyboard`: rows of buttons) or a `force_reply` prompt (`forceReply`).
   */
  async html(target: AssistantTarget, html: string, jobId: string, markup: { keyboard?: CallbackButton[][]; forceReply?: boolean } = {}): Promise<void> {
    const reply = target.messageId !== undefined ? { reply_parameters: { message_id: target.messageId, allow_sending_without_reply: true } } : {};
    const replyMarkup = markup.keyboard ? { reply_markup: { inline_keyboard: markup.keyboard } } : markup.forceReply ? { reply_markup: { force_reply: true } } : {};
    await this.outbox.send(
      { method: 'sendMessage', params: { chat_id: target.chatId, text: html, parse_mode: 'HTML', link_preview_options: { is_disabled: true }, ...reply, ...replyMarkup }, chatId: target.chatId, isMessage: true },
      jobId,
    );
  }

  /** Answers a callback query (stops the button's spinner), with `text` as a toast, or an alert when `alert`. */
  async answerCallback(callbackQueryId: string, jobId: string, text?: string, alert = false): Promise<void> {
    await this.outbox.send({ method: 'answerCallbackQuery', params: { callback_query_id: callbackQueryId, ...(text ? { text, show_alert: alert } : {}) } }, jobId);
  }
}
