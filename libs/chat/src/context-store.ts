import type { Redis } from 'ioredis';
import { chatKeys } from './chat-keys';
import type { ContextEntry } from './context-entry';

/** Settings of ContextStore. */
export interface ContextStoreOptions {
  /** How far back the context reaches, in ms (CHAT_CONTEXT_WINDOW_MINUTES). */
  windowMs: number;
  /** Most entries kept per chat (oldest dropped first), bounding memory in very busy chats. */
  maxEntries: number;
  /** Clock in ms since the epoch; default Date.now (tests pass a controllable one). */
  now?: () => number;
}

/**
 * Adds one entry and trims the chat's context in one atomic step: entries older than the cut-off
 * (ARGV[4], ms) and the oldest beyond ARGV[5] entries are removed from both keys; both keys expire
 * after the window (ARGV[6], ms) when the chat goes quiet. Removal runs in batches of 500 ids
 * (Lua's unpack limit).
 */
const ADD_SCRIPT = `
local z, h = KEYS[1], KEYS[2]
redis.call('ZADD', z, ARGV[1], ARGV[2])
redis.call('HSET', h, ARGV[2], ARGV[3])
local function drop(ids)
  for i = 1, #ids, 500 do
    local batch = {}
    for j = i, math.min(i + 499, #ids) do batch[#batch + 1] = ids[j] end
    redis.call('HDEL', h, unpack(batch))
    redis.call('ZREM', z, unpack(batch))
  end
end
drop(redis.call('ZRANGEBYSCORE', z, '-inf', '(' .. ARGV[4]))
local excess = redis.call('ZCARD', z) - tonumber(ARGV[5])
if excess > 0 then drop(redis.call('ZRANGE', z, 0, excess - 1)) end
redis.call('PEXPIRE', z, ARGV[6])
redis.call('PEXPIRE', h, ARGV[6])
return redis.call('ZCARD', z)
`;

/**
 * Per-chat rolling context in Redis (keys in chatKeys): message ids in a sorted set scored by message
 * time (ms), entries as JSON in a hash. An entry re-added with the same id (an edit) replaces the old
 * one. Readers only ever see entries within the window of `now()`, whatever is still stored.
 * Private chats have their own context like any other chat id; nothing is shared between chats.
 */
export class ContextStore {
  private readonly now: () => number;

  /**
   * @param redis ioredis client owned by the caller
   * @param prefix key prefix (QUEUE_PREFIX)
   */
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
    private readonly options: ContextStoreOptions,
  ) {
    this.now = options.now ?? Date.now;
  }

  /** Stores (or replaces) an entry and trims the chat's context. @returns the entries kept. @throws the Redis error. */
  async add(chatId: number, entry: ContextEntry): Promise<number> {
    const cutoff = this.now() - this.options.windowMs;
    const kept = await this.redis.eval(
      ADD_SCRIPT,
      2,
      chatKeys.contextIds(this.prefix, chatId),
      chatKeys.contextEntries(this.prefix, chatId),
      entry.at,
      entry.id,
      JSON.stringify(entry),
      cutoff,
      this.options.maxEntries,
      this.options.windowMs,
    );
    return Number(kept);
  }

  /**
   * The chat's entries within the window, newest first, read lazily in pages of `pageSize`, so a
   * reader that stops early (token budget full) reads only what it uses. @throws the Redis error.
   */
  async *newestFirst(chatId: number, pageSize = 50): AsyncGenerator<ContextEntry> {
    const cutoff = this.now() - this.options.windowMs;
    const idsKey = chatKeys.contextIds(this.prefix, chatId);
    const entriesKey = chatKeys.contextEntries(this.prefix, chatId);
    for (let offset = 0; ; offset += pageSize) {
      const ids = await this.redis.zrevrangebyscore(idsKey, '+inf', cutoff, 'LIMIT', offset, pageSize);
      if (ids.length === 0) return;
      const raw = await this.redis.hmget(entriesKey, ...ids);
      for (const json of raw) if (json) yield JSON.parse(json) as ContextEntry;
      if (ids.length < pageSize) return;
    }
  }
}
