import { chatKeys } from '@kraken/chat';
import type { ChatTriggerEnv, PrivateAccessMode } from '@kraken/config';
import type { MessageFact } from '@kraken/contracts';
import type { RedisClient } from '@kraken/redis';

/** Why a chat gets no answers, or null when it does. */
export type AccessRefusal = 'chat not allowed' | 'private chat not allowed' | null;

/**
 * The allow-list (ALLOWED_CHAT_IDS). Empty: every chat is answered. Set:
 * - groups and supergroups are answered only when listed — a group the bot is added to later is not
 *   answered until the operator lists it (its triggers are logged with the chat id);
 * - private chats follow ALLOWED_PRIVATE_CHATS: `members` (default) answers users who wrote in a
 *   listed chat within the last ALLOWED_MEMBER_SEEN_DAYS days (the gateway sees every message there
 *   and keeps user id → last message time in the sorted set `<p>:chat:members`), `all` everyone,
 *   `none` nobody.
 */
export class ChatAccess {
  private readonly allowed: ReadonlySet<number>;
  private readonly privateMode: PrivateAccessMode;
  private readonly seenMs: number;

  constructor(
    private readonly redis: RedisClient,
    private readonly prefix: string,
    env: Pick<ChatTriggerEnv, 'ALLOWED_CHAT_IDS' | 'ALLOWED_PRIVATE_CHATS' | 'ALLOWED_MEMBER_SEEN_DAYS'>,
    private readonly now: () => number = Date.now,
  ) {
    this.allowed = new Set(env.ALLOWED_CHAT_IDS);
    this.privateMode = env.ALLOWED_PRIVATE_CHATS;
    this.seenMs = env.ALLOWED_MEMBER_SEEN_DAYS * 86_400_000;
  }

  /** Records that a user wrote in an allowed chat (only needed for ALLOWED_PRIVATE_CHATS=members). @throws the Redis error */
  async noteMember(fact: MessageFact): Promise<void> {
    if (this.allowed.size === 0 || this.privateMode !== 'members' || !this.allowed.has(fact.chat.id)) return;
    if (fact.sender?.kind !== 'user' || fact.sender.isBot) return;
    await this.redis.zadd(chatKeys.members(this.prefix), this.now(), String(fact.sender.id));
  }

  /** Whether Kraken may answer in the message's chat. @throws the Redis error */
  async refusal(fact: MessageFact): Promise<AccessRefusal> {
    if (this.allowed.size === 0) return null;
    if (fact.chat.type !== 'private') return this.allowed.has(fact.chat.id) ? null : 'chat not allowed';
    if (this.privateMode === 'all') return null;
    if (this.privateMode === 'none' || !fact.sender) return 'private chat not allowed';
    const seen = await this.redis.zscore(chatKeys.members(this.prefix), String(fact.sender.id));
    return seen !== null && Number(seen) >= this.now() - this.seenMs ? null : 'private chat not allowed';
  }
}
