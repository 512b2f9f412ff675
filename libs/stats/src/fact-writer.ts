import type { ChatRef, MessageFact, Sender } from '@kraken/contracts';
import type { PrismaService } from '@kraken/db';
import type { FactBatch } from './fact-batch';

/** Lone UTF-16 surrogates and NUL: neither can be stored in a PostgreSQL `text`. */
const UNSTORABLE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]|\u0000/g;

/**
 * `value` as PostgreSQL can store it: a lone surrogate (e.g. an emoji cut in two by the gateway's text
 * limit) becomes U+FFFD, as UTF-8 encoding makes it, and NUL is dropped. Undefined stays undefined
 * (a key left out of the JSON reads as NULL in json_to_recordset).
 */
function storable(value: string | undefined): string | undefined {
  return value === undefined ? undefined : value.replace(UNSTORABLE, (c) => (c === '\u0000' ? '' : '\uFFFD'));
}

/** Sorts rows by a key so concurrent writers lock rows in the same order (no deadlocks). */
function uniqueSorted<T>(rows: T[], key: (row: T) => string): T[] {
  const map = new Map<string, T>();
  for (const row of rows) map.set(key(row), row);
  return [...map.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, row]) => row);
}

/**
 * Writes batches of facts with one multi-row statement per table, every statement idempotent
 * (`ON CONFLICT DO NOTHING`, or "newer date wins" updates), so a batch can be retried, replayed or
 * written by two workers at once and every fact still counts once.
 * Chats and senders are upserted only when their name changed since this process last wrote them.
 * Raw SQL on purpose: this is the stats worker's fast path, and a whole batch per table in one
 * statement with conditional `ON CONFLICT … DO UPDATE … WHERE` is what Prisma's typed client lacks
 * (createMany cannot update on conflict, upsert writes one row per statement).
 *
 * Why one JSON parameter per statement: a statement gets its rows as one
 * JSON array (`json_to_recordset($1::json) AS t(<column> <type>, …)`, PostgreSQL typing each column),
 * so a batch is serialised by one native JSON.stringify. The former parameter per column (typed
 * arrays) made Prisma and node-postgres convert and escape every element of every array, with a
 * BigInt and a Date made per row: that was the worker's largest cost per job after BullMQ itself.
 * Ids travel as JSON numbers (Telegram ids fit in 52 bits; the payload schemas check `safe`), dates
 * as Unix seconds (`to_timestamp`), strings through `storable`; a key left out reads as NULL.
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

  /** Unix seconds before which message texts are not stored. */
  private textCutoff(): number {
    return Date.now() / 1000 - this.retentionDays * 86_400;
  }

  private async upsertChats(chats: ChatRef[]): Promise<void> {
    const rows = uniqueSorted(chats, (c) => String(c.id)).filter((c) => this.changed(`c${c.id}`, JSON.stringify(c)));
    if (!rows.length) return;
    const json = JSON.stringify(rows.map((c) => ({ id: c.id, type: c.type, title: storable(c.title), username: storable(c.username) })));
    await this.prisma.$executeRaw`
      INSERT INTO "Chat" ("id", "type", "title", "username", "updatedAt")
      SELECT id, type, title, username, now()
      FROM json_to_recordset(${json}::json) AS t(id bigint, type text, title text, username text)
      ON CONFLICT ("id") DO UPDATE SET "type" = EXCLUDED."type",
        "title" = COALESCE(EXCLUDED."title", "Chat"."title"), "username" = COALESCE(EXCLUDED."username", "Chat"."username"),
        "updatedAt" = now()`;
    for (const c of rows) this.knownNames.set(`c${c.id}`, JSON.stringify(c));
  }

  private async upsertSenders(senders: Sender[]): Promise<void> {
    const rows = uniqueSorted(senders, (s) => String(s.id)).filter((s) => this.changed(`s${s.id}`, JSON.stringify(s)));
    if (!rows.length) return;
    const json = JSON.stringify(rows.map((s) => ({ id: s.id, name: storable(s.name), username: storable(s.username), is_bot: s.isBot })));
    await this.prisma.$executeRaw`
      INSERT INTO "Sender" ("id", "name", "username", "isBot", "updatedAt")
      SELECT id, name, username, is_bot, now()
      FROM json_to_recordset(${json}::json) AS t(id bigint, name text, username text, is_bot boolean)
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
    const cutoff = this.textCutoff();
    const json = JSON.stringify(
      rows.map((m) => ({
        chat_id: m.chat.id,
        message_id: m.messageId,
        sender_id: m.sender?.id,
        date: m.date,
        kind: m.kind,
        text_length: m.textLength,
        text: m.date >= cutoff ? storable(m.text) : undefined,
        reply_to: m.replyToMessageId,
        thread_id: m.threadId,
        fwd_type: m.forwardOrigin?.type,
        fwd_title: storable(m.forwardOrigin?.title),
        fwd_id: m.forwardOrigin?.id,
      })),
    );
    await this.prisma.$executeRaw`
      INSERT INTO "Message" ("chatId", "messageId", "senderId", "date", "kind", "textLength", "text",
        "replyToMessageId", "threadId", "forwardOriginType", "forwardOriginTitle", "forwardOriginId")
      SELECT chat_id, message_id, sender_id, to_timestamp(date), kind::"MessageKind", text_length, text,
        reply_to, thread_id, fwd_type, fwd_title, fwd_id
      FROM json_to_recordset(${json}::json) AS t(chat_id bigint, message_id int, sender_id bigint, date bigint,
        kind text, text_length int, text text, reply_to int, thread_id int, fwd_type text, fwd_title text, fwd_id bigint)
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
    const json = JSON.stringify(rows.map((e) => ({ chat_id: e.chatId, user_id: e.userId, source_key: e.key, type: e.type, date: e.date })));
    await this.prisma.$executeRaw`
      INSERT INTO "MemberEvent" ("chatId", "userId", "sourceKey", "type", "source", "date")
      SELECT chat_id, user_id, source_key, type::"MemberEventType", ${source}::"MemberEventSource", to_timestamp(date)
      FROM json_to_recordset(${json}::json) AS t(chat_id bigint, user_id bigint, source_key text, type text, date bigint)
      ON CONFLICT ("chatId", "sourceKey", "userId") DO NOTHING`;
  }

  /** Records each edit once and moves the stored text to the newest edit seen. */
  private async applyEdits(edits: MessageFact[]): Promise<void> {
    const rows = uniqueSorted(edits, (m) => `${m.chat.id}:${String(m.messageId).padStart(12, '0')}:${m.editDate}`);
    if (!rows.length) return;
    const cutoff = this.textCutoff();
    const json = JSON.stringify(
      rows.map((m) => ({
        chat_id: m.chat.id,
        message_id: m.messageId,
        edit_date: m.editDate,
        text: m.date >= cutoff ? storable(m.text) : undefined,
        text_length: m.textLength,
      })),
    );
    await this.prisma.$executeRaw`
      INSERT INTO "MessageEdit" ("chatId", "messageId", "editDate")
      SELECT chat_id, message_id, to_timestamp(edit_date)
      FROM json_to_recordset(${json}::json) AS t(chat_id bigint, message_id int, edit_date bigint)
      ON CONFLICT DO NOTHING`;
    await this.prisma.$executeRaw`
      UPDATE "Message" AS m SET "text" = t.text, "textLength" = t.text_length
      FROM json_to_recordset(${json}::json) AS t(chat_id bigint, message_id int, edit_date bigint, text text, text_length int)
      WHERE m."chatId" = t.chat_id AND m."messageId" = t.message_id
        AND NOT EXISTS (SELECT 1 FROM "MessageEdit" e WHERE e."chatId" = t.chat_id AND e."messageId" = t.message_id
          AND e."editDate" > to_timestamp(t.edit_date))`;
  }

  private async upsertReactionCounts(batch: FactBatch): Promise<void> {
    const rows = uniqueSorted(batch.reactionCounts, (r) => `${r.chat.id}:${String(r.messageId).padStart(12, '0')}`);
    if (!rows.length) return;
    const json = JSON.stringify(
      rows.map((r) => ({
        chat_id: r.chat.id,
        message_id: r.messageId,
        total: r.reactions.reduce((sum, x) => sum + x.count, 0),
        reactions: r.reactions,
        date: r.date,
      })),
    );
    await this.prisma.$executeRaw`
      INSERT INTO "ReactionCount" ("chatId", "messageId", "totalCount", "reactions", "date")
      SELECT chat_id, message_id, total, reactions, to_timestamp(date)
      FROM json_to_recordset(${json}::json) AS t(chat_id bigint, message_id int, total int, reactions jsonb, date bigint)
      ON CONFLICT ("chatId", "messageId") DO UPDATE SET "totalCount" = EXCLUDED."totalCount",
        "reactions" = EXCLUDED."reactions", "date" = EXCLUDED."date"
      WHERE EXCLUDED."date" >= "ReactionCount"."date"`;
  }

  private async upsertReactions(batch: FactBatch): Promise<void> {
    const rows = uniqueSorted(batch.reactions, (r) => `${r.chat.id}:${String(r.messageId).padStart(12, '0')}:${r.actorId}`);
    if (!rows.length) return;
    const json = JSON.stringify(
      rows.map((r) => ({
        chat_id: r.chat.id,
        message_id: r.messageId,
        actor_id: r.actorId,
        reactions: r.reactions,
        count: r.reactions.length,
        date: r.date,
      })),
    );
    await this.prisma.$executeRaw`
      INSERT INTO "UserReaction" ("chatId", "messageId", "actorId", "reactions", "count", "date")
      SELECT chat_id, message_id, actor_id, reactions, count, to_timestamp(date)
      FROM json_to_recordset(${json}::json) AS t(chat_id bigint, message_id int, actor_id bigint, reactions jsonb, count int, date bigint)
      ON CONFLICT ("chatId", "messageId", "actorId") DO UPDATE SET "reactions" = EXCLUDED."reactions",
        "count" = EXCLUDED."count", "date" = EXCLUDED."date"
      WHERE EXCLUDED."date" >= "UserReaction"."date"`;
  }
}
