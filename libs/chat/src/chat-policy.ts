import { QUESTION_POLICIES, type QuestionPolicy } from '@kraken/config';
import type { RedisClient } from '@kraken/redis';
import { chatKeys } from './chat-keys';

/**
 * Per-chat question policy in Redis (`<prefix>:chat:policy`, hash chatId → off/all/quiet). The
 * llm-worker writes it after an admin's /policy (and mirrors PostgreSQL's ChatSetting rows into it at
 * start-up); the gateway reads it for every question. Chats without an entry use the default.
 */
export class ChatPolicyStore {
  constructor(
    private readonly redis: RedisClient,
    private readonly prefix: string,
    private readonly fallback: QuestionPolicy,
  ) {}

  /** The chat's policy, or the configured default. @throws the Redis error. */
  async get(chatId: number): Promise<QuestionPolicy> {
    const value = await this.redis.hget(chatKeys.policy(this.prefix), String(chatId));
    return QUESTION_POLICIES.includes(value as QuestionPolicy) ? (value as QuestionPolicy) : this.fallback;
  }

  /** Sets (or, with null, clears) the chat's policy. @throws the Redis error. */
  async set(chatId: number, policy: QuestionPolicy | null): Promise<void> {
    if (policy === null) await this.redis.hdel(chatKeys.policy(this.prefix), String(chatId));
    else await this.redis.hset(chatKeys.policy(this.prefix), String(chatId), policy);
  }
}
