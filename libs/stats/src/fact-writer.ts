import type { ChatRef, MessageFact, Sender } from '@kraken/contracts';
import type { PrismaService } from '@kraken/db';
import type { FactBatch } from './fact-batch';

const seconds = (unix: number) => new Date(unix * 1000);
const big = (n: number) => BigInt(n);

/** Sorts rows by a key so concurrent writers lock rows in the same order (no deadlocks). */
function uniqueSorted<T>(rows: T[], key: (row: T) => string): T[] {
  const map = new Map<string, T>();
  for (const row of rows) map.set(key(row), row);
  return [...map.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, row]) => row);
}

/**
 * Writes batches of facts with one multi-row statement per table (`unnest` of typed arrays), every
 * statement idempotent (`ON CONFLICT DO NOTHING`, or "newer date wins" updates), so a batch can be
 * retried, replayed or written by two workers at once and every fact still counts once.
 * Chats and senders are upserted only when their name changed since this process last wrote them.
 * Raw SQL on purpose: this is the stats worker's fast path, and a whole batch per table in one
 * statement with conditional `ON CONFLICT … DO UPDATE … WHERE` is what Prisma's typed client lacks
 * (createMany cannot update on conflict, upsert writes one row per statement).
 */
export class FactWriter {
  private readonly knownNames = new Map<string, string>();

  /** @param retentionDays message texts older than this are not stored (TEXT_RETENTION_DAYS). */
  constructor(
    private readonly prisma: PrismaService,
    private readonly retentionDays: number,
  ) {}

  /** Writes one batch. Throws the database error; nothing partial is harmful because every statement is idempotent. */
  async write(batch: FactBatch): Promise<void> {
    const chats = [...batch.messages, ...batch.chatMembers, ...batch.reactionCounts, ...batch.reactions, ...batch.chatsSeen].map((f) => f.chat);
    await this.upsertChats(chats);
    await this.upsertSenders(batch.messages.map((m) => m.sender).filter((s): s is Sender => s !== null));
    const created = batch.messages.filter((m) => m.editDate === undefined);
    const edited = batch.messages.filter((m) => m.editDate !== undefined);
    await this.insertMessages([...created, ...edited]);
    await this.insertServiceMemberEvents(created);
    await this.applyEdits(edited);
    await this.insertChatMemberEvents(batch);
    await this.upsertReactionCounts(batch);
    await this.upsertReactions(batch);
  }

  private changed(key: string, value: string): boolean {
    if (this.knownNames.get(key) === value) return false;
    if (this.knownNames.size > 100_000) this.knownNames.clear();
    return true;
  }

  private async upsertChats(chats: ChatRef[]): Promise<void> {
    const rows = uniqueSorted(chats, (c) => String(c.id)).filter((c) => this.changed(`c${c.id}`, JSON.stringify(c)));
    if (!rows.length) return;
    await this.prisma.$executeRaw`
      INSERT INTO "Chat" ("id", "type", "title", "username", "updatedAt")
      SELECT id, type, title, username, now()
      FROM unnest(${rows.map((c) => big(c.id))}::bigint[], ${rows.map((c) => c.type)}::text[],
                  ${rows.map((c) => c.title ?? null)}::text[], ${rows.map((c) => c.username ?? null)}::text[])
           AS t(id, type, title, username)
      ON CONFLICT ("id") DO UPDATE SET "type" = EXCLUDED."type",
        "title" = COALESCE(EXCLUDED."title", "Chat"."title"), "username" = COALESCE(EXCLUDED."username", "Chat"."username"),
        "updatedAt" = now()`;
    for (const c of rows) this.knownNames.set(`c${c.id}`, JSON.stringify(c));
  }

  private async upsertSenders(senders: Sender[]): Promise<void> {
    const rows = uniqueSorted(senders, (s) => String(s.id)).filter((s) => this.changed(`s${s.id}`, JSON.stringify(s)));
    if (!rows.length) return;
    await this.prisma.$executeRaw`
      INSERT INTO "Sender" ("id", "name", "username", "isBot", "updatedAt")
      SELECT id, name, username, is_bot, now()
      FROM unnest(${rows.map((s) => big(s.id))}::bigint[], ${rows.map((s) => s.name)}::text[],
                  ${rows.map((s) => s.username ?? null)}::text[], ${rows.map((s) => s.isBot)}::boolean[])
           AS t(id, name, username, is_bot)
      ON CONFLICT ("id") DO UPDATE SET "name" = EXCLUDED."name", "username" = EXCLUDED."username",
        "isBot" = EXCLUDED."isBot", "updatedAt" = now()`;
    for (const s of rows) this.knownNames.set(`s${s.id}`, JSON.stringify(s));
  }

  /**
   * Inserts non-service messages. An edited message that was never seen as new is stored from its
   * edit, so a missed original still counts. Texts older than the retention window are not kept.
   */
  private async insertMessages(messages: MessageFact[]): Promise<void> {
    const rows = uniqueSorted(
      messages.filter((m) => m.kind !== null),
      (m) => `${m.chat.id}:${String(m.messageId).padStart(12, '0')}`,
    );
    if (!rows.length) return;
    const cutoff = Date.now() / 1000 - this.retentionDays * 86_400;
    await this.prisma.$executeRaw`
      INSERT INTO "Message" ("chatId", "messageId", "senderId", "date", "kind", "textLength", "text",
        "replyToMessageId", "threadId", "forwardOriginType", "forwardOriginTitle", "forwardOriginId")
      SELECT chat_id, message_id, sender_id, date, kind::"MessageKind", text_length, text,
        reply_to, thread_id, fwd_type, fwd_title, fwd_id
      FROM unnest(${rows.map((m) => big(m.chat.id))}::bigint[], ${rows.map((m) => m.messageId)}::int[],
        ${rows.map((m) => (m.sender ? big(m.sender.id) : null))}::bigint[], ${rows.map((m) => seconds(m.date))}::timestamptz[],
        ${rows.map((m) => m.kind)}::text[], ${rows.map((m) => m.textLength)}::int[],
        ${rows.map((m) => (m.date >= cutoff ? (m.text ?? null) : null))}::text[],
        ${rows.map((m) => m.replyToMessageId ?? null)}::int[], ${rows.map((m) => m.threadId ?? null)}::int[],
        ${rows.map((m) => m.forwardOrigin?.type ?? null)}::text[], ${rows.map((m) => m.forwardOrigin?.title ?? null)}::text[],
        ${rows.map((m) => (m.forwardOrigin?.id !== undefined ? big(m.forwardOrigin.id) : null))}::bigint[])
        AS t(chat_id, message_id, sender_id, date, kind, text_length, text, reply_to, thread_id, fwd_type, fwd_title, fwd_id)
      ON CONFLICT ("chatId", "messageId") DO NOTHING`;
  }

  /** Joins and leaves carried by service messages: one row per member, keyed by the message id. */
  private async insertServiceMemberEvents(messages: MessageFact[]): Promise<void> {
    const rows: Array<{ chatId: number; userId: number; key: string; type: 'join' | 'leave'; date: number }> = [];
    for (const m of messages) {
      for (const u of m.newChatMembers ?? []) rows.push({ chatId: m.chat.id, userId: u.id, key: `msg:${m.messageId}`, type: 'join', date: m.date });
      if (m.leftChatMember) rows.push({ chatId: m.chat.id, userId: m.leftChatMember.id, key: `msg:${m.messageId}`, type: 'leave', date: m.date });
    }
    await this.insertMemberEvents(rows, 'service_message');
  }

  private async insertChatMemberEvents(batch: FactBatch): Promise<void> {
    const rows = batch.chatMembers.map((f) => ({
      chatId: f.chat.id,
      userId: f.user.id,
      key: `cm:${f.date}:${f.oldStatus}:${f.newStatus}`,
      type: f.transition,
      date: f.date,
    }));
    await this.insertMemberEvents(rows, 'chat_member');
  }

  private async insertMemberEvents(
    events: Array<{ chatId: number; userId: number; key: string; type: 'join' | 'leave'; date: number }>,
    source: 'service_message' | 'chat_member',
  ): Promise<void> {
    const rows = uniqueSorted(events, (e) => `${e.chatId}:${e.key}:${e.userId}`);
    if (!rows.length) return;
    await this.prisma.$executeRaw`
      INSERT INTO "MemberEvent" ("chatId", "userId", "sourceKey", "type", "source", "date")
      SELECT chat_id, user_id, source_key, type::"MemberEventType", ${source}::"MemberEventSource", date
      FROM unnest(${rows.map((e) => big(e.chatId))}::bigint[], ${rows.map((e) => big(e.userId))}::bigint[],
        ${rows.map((e) => e.key)}::text[], ${rows.map((e) => e.type)}::text[], ${rows.map((e) => seconds(e.date))}::timestamptz[])
        AS t(chat_id, user_id, source_key, type, date)
      ON CONFLICT ("chatId", "sourceKey", "userId") DO NOTHING`;
  }

  /** Records each edit once and moves the stored text to the newest edit seen. */
  private async applyEdits(edits: MessageFact[]): Promise<void> {
    const rows = uniqueSorted(edits, (m) => `${m.chat.id}:${String(m.messageId).padStart(12, '0')}:${m.editDate}`);
    if (!rows.length) return;
    const cutoff = Date.now() / 1000 - this.retentionDays * 86_400;
    await this.prisma.$executeRaw`
      INSERT INTO "MessageEdit" ("chatId", "messageId", "editDate")
      SELECT * FROM unnest(${rows.map((m) => big(m.chat.id))}::bigint[], ${rows.map((m) => m.messageId)}::int[],
        ${rows.map((m) => seconds(m.editDate!))}::timestamptz[])
      ON CONFLICT DO NOTHING`;
    await this.prisma.$executeRaw`
      UPDATE "Message" AS m SET "text" = t.text, "textLength" = t.text_length
      FROM unnest(${rows.map((m) => big(m.chat.id))}::bigint[], ${rows.map((m) => m.messageId)}::int[],
        ${rows.map((m) => seconds(m.editDate!))}::timestamptz[], ${rows.map((m) => (m.date >= cutoff ? (m.text ?? null) : null))}::text[],
        ${rows.map((m) => m.textLength)}::int[]) AS t(chat_id, message_id, edit_date, text, text_length)
      WHERE m."chatId" = t.chat_id AND m."messageId" = t.message_id
        AND NOT EXISTS (SELECT 1 FROM "MessageEdit" e WHERE e."chatId" = t.chat_id AND e."messageId" = t.message_id AND e."editDate" > t.edit_date)`;
  }

  private async upsertReactionCounts(batch: FactBatch): Promise<void> {
    const rows = uniqueSorted(batch.reactionCounts, (r) => `${r.chat.id}:${String(r.messageId).padStart(12, '0')}`);
    if (!rows.length) return;
    await this.prisma.$executeRaw`
      INSERT INTO "ReactionCount" ("chatId", "messageId", "totalCount", "reactions", "date")
      SELECT chat_id, message_id, total, reactions, date
      FROM unnest(${rows.map((r) => big(r.chat.id))}::bigint[], ${rows.map((r) => r.messageId)}::int[],
        ${rows.map((r) => r.reactions.reduce((sum, x) => sum + x.count, 0))}::int[],
        ${rows.map((r) => JSON.stringify(r.reactions))}::jsonb[], ${rows.map((r) => seconds(r.date))}::timestamptz[])
        AS t(chat_id, message_id, total, reactions, date)
      ON CONFLICT ("chatId", "messageId") DO UPDATE SET "totalCount" = EXCLUDED."totalCount",
        "reactions" = EXCLUDED."reactions", "date" = EXCLUDED."date"
      WHERE EXCLUDED."date" >= "ReactionCount"."date"`;
  }

  private async upsertReactions(batch: FactBatch): Promise<void> {
    const rows = uniqueSorted(batch.reactions, (r) => `${r.chat.id}:${String(r.messageId).padStart(12, '0')}:${r.actorId}`);
    if (!rows.length) return;
    await this.prisma.$executeRaw`
      INSERT INTO "UserReaction" ("chatId", "messageId", "actorId", "reactions", "count", "date")
      SELECT chat_id, message_id, actor_id, reactions, count, date
      FROM unnest(${rows.map((r) => big(r.chat.id))}::bigint[], ${rows.map((r) => r.messageId)}::int[],
        ${rows.map((r) => big(r.actorId))}::bigint[], ${rows.map((r) => JSON.stringify(r.reactions))}::jsonb[],
        ${rows.map((r) => r.reactions.length)}::int[], ${rows.map((r) => seconds(r.date))}::timestamptz[])
        AS t(chat_id, message_id, actor_id, reactions, count, date)
      ON CONFLICT ("chatId", "messageId", "actorId") DO UPDATE SET "reactions" = EXCLUDED."reactions",
        "count" = EXCLUDED."count", "date" = EXCLUDED."date"
      WHERE EXCLUDED."date" >= "UserReaction"."date"`;
  }
}
