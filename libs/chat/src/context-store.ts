import type { RedisClient } from '@kraken/redis';
import { chatKeys } from './chat-keys';
import type { ContextEntry } from './context-entry';

/**
 * Bytes accounted per entry on top of its JSON: Redis's own bookkeeping of a sorted-set member and a
 * hash field (skiplist node, dict entries, the id strings), so many tiny entries are bounded too.
 */
export const CONTEXT_ENTRY_OVERHEAD_BYTES = 128;

/** Settings of ContextStore. */
export interface ContextStoreOptions {
  /** How far back the context reaches, in ms (CHAT_CONTEXT_WINDOW_MINUTES). */
  windowMs: number;
  /** Most entries kept per chat (oldest dropped first). */
  maxEntries: number;
  /**
   * Most bytes kept per chat (CHAT_CONTEXT_MAX_BYTES): the sum over entries of their JSON's UTF-8
   * length plus CONTEXT_ENTRY_OVERHEAD_BYTES; the oldest entries are dropped first. Only the entry
   * just added may exceed it alone.
   */
  maxBytes: number;
  /** Clock in ms since the epoch; default Date.now (tests pass a controllable one). */
  now?: () => number;
}

/**
 * Adds one entry and trims the chat's context in one atomic step. KEYS: the sorted set (ids by time
 * in ms), the hash (id → JSON) and the byte counter. ARGV: score, id, JSON, cut-off (ms), max entries,
 * window (ms, the keys' expiry), max bytes, per-entry overhead. A replaced entry (an edit) gives its
 * bytes back first. Then entries older than the cut-off go, the oldest beyond the entry cap, and the
 * oldest (never the entry just added) while the counter is above the byte cap. Removal runs in batches
 * of at most 500 ids (Lua's unpack limit). A counter missing next to an existing hash (a deployment
 * upgraded from a version without it) is rebuilt from HSTRLEN once. Returns the entries kept.
 */
const ADD_SCRIPT = `
local z, h, b = KEYS[1], KEYS[2], KEYS[3]
local overhead = tonumber(ARGV[8])
if redis.call('EXISTS', b) == 0 then
  local total = 0
  for _, id in ipairs(redis.call('HKEYS', h)) do total = total + redis.call('HSTRLEN', h, id) + overhead end
  redis.call('SET', b, total)
end
local old = redis.call('HSTRLEN', h, ARGV[2])
if old > 0 then redis.call('DECRBY', b, old + overhead) end
redis.call('ZADD', z, ARGV[1], ARGV[2])
redis.call('HSET', h, ARGV[2], ARGV[3])
redis.call('INCRBY', b, #ARGV[3] + overhead)
local function drop(ids)
  for i = 1, #ids, 500 do
    local batch, freed = {}, 0
    for j = i, math.min(i + 499, #ids) do
      batch[#batch + 1] = ids[j]
      freed = freed + redis.call('HSTRLEN', h, ids[j]) + overhead
    end
    redis.call('HDEL', h, unpack(batch))
    redis.call('ZREM', z, unpack(batch))
    redis.call('DECRBY', b, freed)
  end
end
drop(redis.call('ZRANGEBYSCORE', z, '-inf', '(' .. ARGV[4]))
local excess = redis.call('ZCARD', z) - tonumber(ARGV[5])
if excess > 0 then drop(redis.call('ZRANGE', z, 0, excess - 1)) end
local over = tonumber(redis.call('GET', b)) - tonumber(ARGV[7])
while over > 0 do
  local batch = {}
  for _, id in ipairs(redis.call('ZRANGE', z, 0, 63)) do
    if over <= 0 then break end
    if id ~= ARGV[2] then
      over = over - redis.call('HSTRLEN', h, id) - overhead
      batch[#batch + 1] = id
    end
  end
  if #batch == 0 then break end
  drop(batch)
end
redis.call('PEXPIRE', z, ARGV[6])
redis.call('PEXPIRE', h, ARGV[6])
redis.call('PEXPIRE', b, ARGV[6])
return redis.call('ZCARD', z)
`;

/**
 * Per-chat rolling context in Redis (keys in chatKeys): message ids in a sorted set scored by message
 * time (ms), entries as JSON in a hash, and a counter of the bytes they take. An entry re-added with
 * the same id (an edit) replaces the old one. Each chat's context is bounded by the window, by
 * `maxEntries` and by `maxBytes` (oldest entries dropped first), so a flood of long messages in one
 * chat cannot grow Redis beyond about 1.3 × maxBytes for it (jemalloc rounds allocations up; see the
 * README's Reliability section for the measured figure). Readers only ever see entries within the
 * window of `now()`, whatever is still stored. Private chats have their own context like any other
 * chat id; nothing is shared between chats.
 */
export class ContextStore {
  private readonly now: () => number;

  /**
   * @param redis ioredis client owned by the caller
   * @param prefix key prefix (QUEUE_PREFIX)
   */
  constructor(
    private readonly redis: RedisClient,
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
      3,
      chatKeys.contextIds(this.prefix, chatId),
      chatKeys.contextEntries(this.prefix, chatId),
      chatKeys.contextBytes(this.prefix, chatId),
      entry.at,
      entry.id,
      JSON.stringify(entry),
      cutoff,
      this.options.maxEntries,
      this.options.windowMs,
      this.options.maxBytes,
      CONTEXT_ENTRY_OVERHEAD_BYTES,
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
