import type { MessageFact } from '@kraken/contracts';
import { OutboxCallFailedError, OutboxService } from '@kraken/outbox';
import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { LlmWorkerEnv } from '../llm-worker.env';

/** How long the admin check may wait for getChatMember through the outbox, in ms. */
const ADMIN_CHECK_TIMEOUT_MS = 30_000;
/** ChatMember statuses that manage a chat's knowledge base (https://core.telegram.org/bots/api#chatmember). */
const ADMIN_STATUSES = new Set(['creator', 'administrator']);

/**
 * Who may change a knowledge base: a chat's documents — its admins (getChatMember through the outbox;
 * an anonymous admin posting as the group counts); documents for every chat — the users in KB_ADMIN_IDS.
 */
@Injectable()
export class KbAdmins {
  constructor(
    private readonly outbox: OutboxService,
    private readonly config: ConfigService<LlmWorkerEnv, true>,
  ) {}

  /**
   * Whether the sender of `message` manages the knowledge base of `chatId` (null: every chat).
   * @throws the outbox's error when getChatMember failed otherwise than by Telegram's refusal (e.g. a timeout)
   */
  async canManage(message: MessageFact, chatId: number | null): Promise<boolean> {
    const sender = message.sender;
    if (!sender) return false;
    if (chatId === null) return sender.kind === 'user' && this.config.get('KB_ADMIN_IDS', { infer: true }).includes(sender.id);
    if (sender.kind === 'chat') return sender.id === chatId;
    if (chatId === sender.id) return true;
    try {
      const member = await this.outbox.call<{ status: string }>(
        { method: 'getChatMember', params: { chat_id: chatId, user_id: sender.id }, chatId },
        { timeoutMs: ADMIN_CHECK_TIMEOUT_MS },
      );
      return ADMIN_STATUSES.has(member.status);
    } catch (error) {
      // Telegram refuses (400 chat not found, 403 the bot is not there): not an admin we can confirm.
      if (error instanceof OutboxCallFailedError) return false;
      throw error;
    }
  }
}
