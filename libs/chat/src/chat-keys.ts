/**
 * Redis keys of the chat feature, all under the deployment's QUEUE_PREFIX:
 * - `<p>:chat:ctx:<chatId>:z` / `:h` / `:b`: rolling context (sorted set of message ids by time in ms;
 *   hash id → entry JSON; the bytes the entries take), see ContextStore;
 * - `<p>:chat:policy`: hash chatId → question policy an admin chose (off/all/quiet);
 * - `<p>:chat:notice:<kind>:<chatId>`: "notice sent" markers (not-configured, apology) with a TTL;
 * - `<p>:chat:answer:<answerJobId>`: the answer text of a trigger, kept a day so a retried job resends
 *   the same text instead of asking the LLM again;
 * - `<p>:chat:rl:<kind>`: rate-limiter-flexible prefixes (per-chat question cooldown, per-user limit).
 */
export const chatKeys = {
  contextIds: (prefix: string, chatId: number) => `${prefix}:chat:ctx:${chatId}:z`,
  contextEntries: (prefix: string, chatId: number) => `${prefix}:chat:ctx:${chatId}:h`,
  contextBytes: (prefix: string, chatId: number) => `${prefix}:chat:ctx:${chatId}:b`,
  policy: (prefix: string) => `${prefix}:chat:policy`,
  notice: (prefix: string, kind: 'not-configured' | 'apology', chatId: number) => `${prefix}:chat:notice:${kind}:${chatId}`,
  answerText: (prefix: string, answerJobId: string) => `${prefix}:chat:answer:${answerJobId}`,
  rateLimiter: (prefix: string, kind: 'question-cooldown' | 'user') => `${prefix}:chat:rl:${kind}`,
};
