/** Kinds of "notice sent" markers (see claimNotice). */
export type NoticeKind = 'not-configured' | 'apology' | 'budget' | 'refusal' | 'meme-hint' | 'private-not-allowed';

/** Kinds of rate limiters of the chat feature (rate-limiter-flexible prefixes). */
export type LimiterKind = 'question-cooldown' | 'user' | 'user-private' | 'chat-hour';

/**
 * Redis keys of the chat feature, all under the deployment's QUEUE_PREFIX:
 * - `<p>:chat:ctx:<chatId>:z` / `:h` / `:b`: rolling context (sorted set of message ids by time in ms;
 *   hash id → entry JSON; the bytes the entries take), see ContextStore;
 * - `<p>:chat:policy`: hash chatId → question policy an admin chose (off/all/quiet);
 * - `<p>:chat:notice:<kind>:<chatId>[:<scope>]`: "notice sent" markers with a TTL (scope: a user id,
 *   a day …), see claimNotice;
 * - `<p>:chat:answer:<answerJobId>`: the answer of a trigger, kept a day so a retried job resends the
 *   same text instead of asking the LLM again;
 * - `<p>:chat:rl:<kind>`: rate-limiter-flexible prefixes (per-chat question cooldown, per-user limits
 *   in groups and in private, per-chat answers per hour);
 * - `<p>:chat:quiet:<chatId>:<threadId>`: the question of that thread whose `quiet` answer is waiting
 *   (`<messageId>:<askerId>`, expires with the wait);
 * - `<p>:chat:members`: sorted set user id → when they last wrote in an allowed chat (ms), for
 *   ALLOWED_PRIVATE_CHATS=members.
 */
export const chatKeys = {
  contextIds: (prefix: string, chatId: number) => `${prefix}:chat:ctx:${chatId}:z`,
  contextEntries: (prefix: string, chatId: number) => `${prefix}:chat:ctx:${chatId}:h`,
  contextBytes: (prefix: string, chatId: number) => `${prefix}:chat:ctx:${chatId}:b`,
  policy: (prefix: string) => `${prefix}:chat:policy`,
  notice: (prefix: string, kind: NoticeKind, chatId: number, scope?: string | number) =>
    `${prefix}:chat:notice:${kind}:${chatId}${scope === undefined ? '' : `:${scope}`}`,
  answerText: (prefix: string, answerJobId: string) => `${prefix}:chat:answer:${answerJobId}`,
  rateLimiter: (prefix: string, kind: LimiterKind) => `${prefix}:chat:rl:${kind}`,
  quietQuestion: (prefix: string, chatId: number, threadId: number) => `${prefix}:chat:quiet:${chatId}:${threadId}`,
  members: (prefix: string) => `${prefix}:chat:members`,
};
