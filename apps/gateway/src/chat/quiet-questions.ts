import { chatKeys } from '@kraken/chat';
import type { MessageFact } from '@kraken/contracts';
import type { RedisClient } from '@kraken/redis';

/**
 * Atomically takes the waiting question of a thread when the message's sender is not its asker:
 * KEYS[1] the thread's key, ARGV[1] the sender id. Returns the question's message id, or nil.
 */
const TAKE_IF_OTHER = `
local v = redis.call('GET', KEYS[1])
if not v then return nil end
local sep = string.find(v, ':', 1, true)
if string.sub(v, sep + 1) == ARGV[1] then return nil end
redis.call('DEL', KEYS[1])
return string.sub(v, 1, sep - 1)`;

/** Name of TAKE_IF_OTHER as an ioredis command: sent by its SHA (EVALSHA), not as the script's text each time. */
const TAKE_COMMAND = 'krakenTakeQuietQuestion';

/** The thread a message belongs to for "right after the question": its forum topic, else the chat (0). */
const threadOf = (fact: MessageFact) => fact.threadId ?? 0;

/**
 * The questions of each thread waiting for their `quiet` answer (`<p>:chat:quiet:<chat>:<thread>`,
 * expiring when the answer is due), so that a human answer right after a question cancels it even
 * without Telegram's reply: the next message in the same thread from someone other than the asker.
 * The newest question of a thread replaces an older one (the older one can still be cancelled by a reply).
 */
export class QuietQuestions {
  constructor(
    private readonly redis: RedisClient,
    private readonly prefix: string,
  ) {
    if (!(TAKE_COMMAND in redis)) redis.defineCommand(TAKE_COMMAND, { numberOfKeys: 1, lua: TAKE_IF_OTHER });
  }

  /** Remembers `question` as its thread's waiting question for `waitMs`. @throws the Redis error */
  async remember(question: MessageFact, waitMs: number): Promise<void> {
    const key = chatKeys.quietQuestion(this.prefix, question.chat.id, threadOf(question));
    await this.redis.set(key, `${question.messageId}:${question.sender?.id ?? 0}`, 'PX', Math.max(1, waitMs));
  }

  /**
   * Takes the waiting question `message` answers, if any: a question of the same thread asked by
   * someone else (the waiting question is then forgotten).
   * @returns the question's message id, or null
   * @throws the Redis error
   */
  async answeredBy(message: MessageFact): Promise<number | null> {
    const key = chatKeys.quietQuestion(this.prefix, message.chat.id, threadOf(message));
    const take = (this.redis as unknown as Record<string, (key: string, senderId: string) => Promise<string | null>>)[TAKE_COMMAND];
    const id = await take.call(this.redis, key, String(message.sender?.id ?? 0));
    return id === null ? null : Number(id);
  }
}
