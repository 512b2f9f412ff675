import { Inject, Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { Redis } from 'ioredis';
import { DIGEST_REDIS } from './digest-worker.providers';
import type { DigestWorkerEnv } from './digest-worker.env';
import { OutboxCalls } from './outbox-calls';

/** The part of a ChatMember (https://core.telegram.org/bots/api#chatmember) the check reads. */
interface ChatMember {
  user: { id: number };
}

/**
 * Who administers a chat, from getChatAdministrators (through the outbox), cached in Redis for
 * MEME_ADMIN_CACHE_SECONDS under `<prefix>:digest:admins:<chatId>` so a burst of button presses makes
 * one Bot API call. 0 disables the cache. Used for the moderation buttons and /digest commands.
 */
@Injectable()
export class ChatAdmins {
  private readonly prefix: string;
  private readonly ttlSeconds: number;

  constructor(
    private readonly calls: OutboxCalls,
    @Inject(DIGEST_REDIS) private readonly redis: Redis,
    config: ConfigService<DigestWorkerEnv, true>,
  ) {
    this.prefix = config.get('QUEUE_PREFIX', { infer: true });
    this.ttlSeconds = config.get('MEME_ADMIN_CACHE_SECONDS', { infer: true });
  }

  /**
   * True when user `userId` is the creator or an administrator of chat `chatId`.
   * @throws OutboxCallError when Telegram refuses the list (e.g. the bot is not in the chat)
   */
  async isAdmin(chatId: number, userId: number): Promise<boolean> {
    return (await this.adminIds(chatId)).includes(userId);
  }

  private async adminIds(chatId: number): Promise<number[]> {
    const key = `${this.prefix}:digest:admins:${chatId}`;
    if (this.ttlSeconds > 0) {
      const cached = await this.redis.get(key);
      if (cached !== null) return JSON.parse(cached) as number[];
    }
    const admins = await this.calls.call<ChatMember[]>({ method: 'getChatAdministrators', params: { chat_id: chatId }, chatId });
    const ids = admins.map((member) => member.user.id);
    if (this.ttlSeconds > 0) await this.redis.set(key, JSON.stringify(ids), 'EX', this.ttlSeconds);
    return ids;
  }
}
