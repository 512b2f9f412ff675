import { Injectable, Logger } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { escapeHtml, INTRO_TEXTS, type IntroContext, type IntroTexts } from '@kraken/chat';
import type { GatewayEnv } from '@kraken/config';
import type { OutboxCall } from '@kraken/contracts';
import { OutboxService } from '@kraken/outbox';
import { botMembershipNotices, displayName, type BotMembershipChange, type BotMembershipNotice } from '@kraken/telegram';
import type { Message, UserFromGetMe } from 'telegraf/types';

/** How long a my_chat_member handler waits for a fresh getMe through the outbox, in ms. */
const GET_ME_TIMEOUT_MS = 10_000;

/** Commands Kraken answers itself, without the LLM. */
export const INTRO_COMMANDS = ['start', 'help'] as const;
export type IntroCommand = (typeof INTRO_COMMANDS)[number];

/**
 * Kraken introducing itself, answered by the gateway through the outbox (never the LLM), in
 * BOT_LANGUAGE:
 * - `/start` in private: welcome and the private help; `/help`: the private or the group help
 *   (a `/start` in a group gets the group help too);
 * - my_chat_member (its own membership changed): the hello when added to a group and the privacy-mode
 *   warning addressing the adder (one message when both apply), and private notes to the adder when it may not write in a group or
 *   post in a channel (see botMembershipNotices). Privacy mode is read from a fresh getMe (through the
 *   outbox; the start-up answer if it fails), because the documented fix — /setprivacy, then adding
 *   the bot again — happens while the gateway runs. Each change is logged at info (chat id, type,
 *   status; never the title).
 * Outbox job ids derive from the update (`intro-<chat>-<message>`, `intro-<update id>-chat|cannot-…`), so a
 * redelivered update sends nothing twice.
 */
@Injectable()
export class IntroService {
  private readonly logger = new Logger(IntroService.name);
  private readonly texts: IntroTexts;
  private readonly name: string;
  private readonly hashtag: string;

  constructor(
    private readonly outbox: OutboxService,
    config: ConfigService<GatewayEnv, true>,
  ) {
    this.texts = INTRO_TEXTS[config.get('BOT_LANGUAGE', { infer: true })];
    this.name = config.get('BOT_NAMES', { infer: true })[0];
    this.hashtag = config.get('MEME_HASHTAG', { infer: true });
  }

  /** Answers /start or /help. @throws the Redis error when the reply could not be enqueued. */
  async answerCommand(command: IntroCommand, message: Message, bot: UserFromGetMe): Promise<void> {
    const context = this.context(bot);
    const inPrivate = message.chat.type === 'private';
    const text = !inPrivate ? this.texts.helpGroup(context) : command === 'start' ? this.texts.start(context) : this.texts.helpPrivate(context);
    const reply = inPrivate ? {} : { reply_parameters: { message_id: message.message_id, allow_sending_without_reply: true } };
    await this.send(message.chat.id, text, `intro-${message.chat.id}-${message.message_id}`, reply);
  }

  /**
   * Reacts to a change of Kraken's own membership.
   * @returns the notices sent
   * @throws the Redis error when a notice could not be enqueued
   */
  async onMembershipChange(updateId: number, change: BotMembershipChange, cached: UserFromGetMe): Promise<BotMembershipNotice[]> {
    const bot = change.chat.type === 'private' ? cached : await this.freshBot(cached);
    const canReadAll = Boolean(bot.can_read_all_group_messages);
    const notices = botMembershipNotices(change, canReadAll);
    const status = change.new_chat_member.status;
    if (change.chat.type !== 'private') {
      this.logger.log(
        { chatId: change.chat.id, chatType: change.chat.type, status, privacyMode: !canReadAll, notices },
        `Kraken is now ${status} in ${change.chat.type} ${change.chat.id}`,
      );
    }
    const title = change.chat.title ?? String(change.chat.id);
    // The hello and the privacy warning go out as one message, so they cannot arrive out of order.
    const inChat: string[] = [];
    if (notices.includes('hello')) inChat.push(this.texts.hello(this.context(bot)));
    if (notices.includes('cannot-see')) inChat.push(this.texts.cannotSee(this.mention(change.from)));
    if (inChat.length) await this.send(change.chat.id, inChat.join('\n\n'), `intro-${updateId}-chat`);
    if (notices.includes('cannot-write')) await this.send(change.from.id, this.texts.cannotWrite(title), `intro-${updateId}-cannot-write`);
    if (notices.includes('cannot-post')) await this.send(change.from.id, this.texts.cannotPost(title), `intro-${updateId}-cannot-post`);
    return notices;
  }

  /** getMe through the outbox; the cached profile when it does not answer in time. */
  private async freshBot(cached: UserFromGetMe): Promise<UserFromGetMe> {
    try {
      return await this.outbox.call<UserFromGetMe>({ method: 'getMe', params: {} }, { timeoutMs: GET_ME_TIMEOUT_MS });
    } catch (error) {
      this.logger.warn(`getMe failed, using the start-up profile: ${error instanceof Error ? error.message : String(error)}`);
      return cached;
    }
  }

  private context(bot: UserFromGetMe): IntroContext {
    return { username: bot.username, name: this.name, hashtag: this.hashtag };
  }

  /** An HTML mention of the adder, or null for a bot (e.g. an anonymous admin's GroupAnonymousBot). */
  private mention(user: BotMembershipChange['from']): string | null {
    return user.is_bot ? null : `<a href="tg://user?id=${user.id}">${escapeHtml(displayName(user))}</a>`;
  }

  private async send(chatId: number, html: string, jobId: string, extra: Record<string, unknown> = {}): Promise<void> {
    const call: OutboxCall = {
      method: 'sendMessage',
      params: { chat_id: chatId, text: html, parse_mode: 'HTML', link_preview_options: { is_disabled: true }, ...extra },
      chatId,
      isMessage: true,
    };
    await this.outbox.send(call, jobId);
  }
}
