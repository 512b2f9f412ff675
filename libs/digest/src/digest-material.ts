import type { BotLanguage } from '@kraken/chat';
import type { PrismaService } from '@kraken/db';
import { countTokens } from '@kraken/llm';
import { monthBounds, type Month, type MonthlyStats } from '@kraken/stats';
import { countOf, dayLabel, DIGEST_TEXTS, monthLabel } from './digest-texts';
import { frequentWords } from './frequent-words';

/** Longest excerpt of one message in the material, in characters (about 60 tokens of Russian text). */
export const EXCERPT_CHARS = 240;
/** Messages fetched per list (most replied-to, most reacted) before the budget picks. */
const LIST_SIZE = 10;
/** Forward sources and frequent words fetched before the budget picks. */
const FORWARD_SOURCES = 5;
const WORDS = 40;

/** A message of the month as the material quotes it. */
export interface QuotedMessage {
  messageId: number;
  sender: string;
  /** Text or caption; null when not stored (media without caption, or purged by TEXT_RETENTION_DAYS). */
  text: string | null;
  kind: string;
  /** Replies or reactions, by list. */
  count: number;
}

/** What the LLM gets to write the month's headlines from. */
export interface DigestMaterial {
  mostReplied: QuotedMessage[];
  mostReacted: QuotedMessage[];
  forwardSources: Array<{ title: string; count: number }>;
  words: Array<{ word: string; count: number }>;
}

/** Labels of the material, in the language of the prompt. */
const LABELS: Record<BotLanguage, { chat: string; numbers: string; replied: string; reacted: string; forwards: string; words: string; replies: (n: number) => string; reactions: (n: number) => string }> = {
  ru: {
    chat: 'Чат',
    numbers: 'Цифры',
    replied: 'Самые обсуждаемые сообщения (больше всего ответов):',
    reacted: 'Сообщения с наибольшим числом реакций:',
    forwards: 'Чаще всего пересылали из',
    words: 'Частые слова',
    replies: (n) => countOf('ru', n, { one: 'ответ', few: 'ответа', many: 'ответов', other: 'ответа' }),
    reactions: (n) => countOf('ru', n, DIGEST_TEXTS.ru.reactions),
  },
  en: {
    chat: 'Chat',
    numbers: 'Numbers',
    replied: 'Most discussed messages (most replies):',
    reacted: 'Messages with the most reactions:',
    forwards: 'Most forwarded from',
    words: 'Frequent words',
    replies: (n) => countOf('en', n, { one: 'reply', other: 'replies' }),
    reactions: (n) => countOf('en', n, DIGEST_TEXTS.en.reactions),
  },
};

/**
 * Collects the month's material from PostgreSQL: the messages with most replies in the month (the
 * replied-to message may be older), the month's messages with most reactions (anonymous counts or
 * per-user reactions, whichever is larger), the top forward sources and the frequent words of the
 * month's stored texts (see frequentWords).
 * Raw SQL on purpose: the lists are grouped self-joins and joins on (chat, message) pairs ranked by
 * their aggregates, each one statement in PostgreSQL; Prisma's typed client would fetch the month's
 * rows and rank them in the worker.
 * @throws the database error
 */
export async function collectMaterial(prisma: PrismaService, chatId: number, month: Month, tz: string): Promise<DigestMaterial> {
  const chat = BigInt(chatId);
  const [start, end] = await monthBounds(prisma, month, tz);
  type Row = { messageId: number; sender: string | null; text: string | null; kind: string; n: bigint | number };
  const toQuoted = (rows: Row[]): QuotedMessage[] =>
    rows.map((r) => ({ messageId: r.messageId, sender: r.sender ?? '?', text: r.text, kind: r.kind, count: Number(r.n) }));
  const replied = await prisma.$queryRaw<Row[]>`
    SELECT p."messageId", s."name" AS sender, p."text", p."kind"::text AS kind, count(*) AS n
    FROM "Message" r
    JOIN "Message" p ON p."chatId" = r."chatId" AND p."messageId" = r."replyToMessageId"
    LEFT JOIN "Sender" s ON s."id" = p."senderId"
    WHERE r."chatId" = ${chat} AND r."date" >= ${start} AND r."date" < ${end}
    GROUP BY p."messageId", s."name", p."text", p."kind"
    ORDER BY n DESC, p."messageId" ASC LIMIT ${LIST_SIZE}`;
  const reacted = await prisma.$queryRaw<Row[]>`
    SELECT m."messageId", s."name" AS sender, m."text", m."kind"::text AS kind,
      GREATEST(COALESCE(rc."totalCount", 0), COALESCE(ur.n, 0))::int AS n
    FROM "Message" m
    LEFT JOIN "ReactionCount" rc ON rc."chatId" = m."chatId" AND rc."messageId" = m."messageId"
    LEFT JOIN (SELECT "messageId", sum("count")::int AS n FROM "UserReaction" WHERE "chatId" = ${chat} GROUP BY "messageId") ur
      ON ur."messageId" = m."messageId"
    LEFT JOIN "Sender" s ON s."id" = m."senderId"
    WHERE m."chatId" = ${chat} AND m."date" >= ${start} AND m."date" < ${end} AND (rc."totalCount" > 0 OR ur.n > 0)
    ORDER BY n DESC, m."messageId" ASC LIMIT ${LIST_SIZE}`;
  const forwards = await prisma.$queryRaw<Array<{ title: string; n: bigint }>>`
    SELECT "forwardOriginTitle" AS title, count(*) AS n FROM "Message"
    WHERE "chatId" = ${chat} AND "date" >= ${start} AND "date" < ${end} AND "forwardOriginTitle" IS NOT NULL
    GROUP BY 1 ORDER BY n DESC, title ASC LIMIT ${FORWARD_SOURCES}`;
  const texts = await prisma.$queryRaw<Array<{ text: string }>>`
    SELECT "text" FROM "Message" WHERE "chatId" = ${chat} AND "date" >= ${start} AND "date" < ${end} AND "text" IS NOT NULL`;
  return {
    mostReplied: toQuoted(replied),
    mostReacted: toQuoted(reacted),
    forwardSources: forwards.map((f) => ({ title: f.title, count: Number(f.n) })),
    words: frequentWords(texts.map((t) => t.text), WORDS),
  };
}

/** What renderMaterial needs besides the material. */
export interface MaterialContext {
  language: BotLanguage;
  month: Month;
  chatTitle: string | null;
  stats: MonthlyStats;
  messagesPrev: number | null;
  /** Model the tokens are counted for (DIGEST_MODEL of the first provider). */
  model: string;
  /** Most tokens the rendered material may take (DIGEST_PROMPT_BUDGET_TOKENS). */
  budgetTokens: number;
}

/** `text` on one line, cut to EXCERPT_CHARS on a grapheme boundary (an emoji is never split) with `…`. */
export function excerpt(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  if (flat.length <= EXCERPT_CHARS) return flat;
  let cut = '';
  for (const { segment } of new Intl.Segmenter('ru', { granularity: 'grapheme' }).segment(flat)) {
    if (cut.length + segment.length > EXCERPT_CHARS - 1) break;
    cut += segment;
  }
  return `${cut.trimEnd()}…`;
}

/** One message as a material line: `- [7 ответов] Имя: «excerpt»`, or its kind when it has no text. */
function quoteLine(message: QuotedMessage, count: string): string {
  return `- [${count}] ${message.sender}: ${message.text ? `«${excerpt(message.text)}»` : `[${message.kind}]`}`;
}

/**
 * Renders the material as compact text for the LLM, within `budgetTokens` (counted with
 * countTokens for `model`): the chat, month and numbers always, then, taken in turns so each kind is
 * represented, the most replied-to messages, the most reacted messages, the forward sources and the
 * frequent words, each added only while it fits.
 */
export function renderMaterial(material: DigestMaterial, ctx: MaterialContext): string {
  const l = LABELS[ctx.language];
  const t = DIGEST_TEXTS[ctx.language];
  const s = ctx.stats;
  const numbers = [
    `${t.messagesLine}: ${s.messages}${ctx.messagesPrev === null ? '' : ` ${t.was(ctx.messagesPrev)}`}`,
    `${t.activeLine}: ${s.activeParticipants} ${t.was(s.activeParticipantsPrev)}`,
    t.joinsLeaves(s.joins, s.leaves),
    t.interactions(s.replies, s.forwards, s.stories, s.edits),
    s.busiestDay ? t.busiestDay(dayLabel(ctx.language, s.busiestDay.date), countOf(ctx.language, s.busiestDay.messages, t.messages)) : t.noMessages,
    s.topPosters.length ? `${t.topPostersLine}: ${s.topPosters.map((p) => `${p.name} (${p.messages})`).join(', ')}` : '',
    t.memesLine(s.memes.submitted, s.memes.approved, s.memes.rejected, s.memes.pending),
  ].filter(Boolean);
  const head = [`${l.chat}: ${ctx.chatTitle ?? '—'}, ${monthLabel(ctx.language, ctx.month)}.`, `${l.numbers}:`, ...numbers.map((n) => `- ${n}`)].join('\n');

  const lists = [
    { title: l.replied, lines: material.mostReplied.map((m) => quoteLine(m, l.replies(m.count))), inline: false },
    { title: l.reacted, lines: material.mostReacted.map((m) => quoteLine(m, l.reactions(m.count))), inline: false },
    { title: `${l.forwards}:`, lines: material.forwardSources.map((f) => `${f.title} (${f.count})`), inline: true },
    { title: `${l.words}:`, lines: material.words.map((w) => `${w.word} (${w.count})`), inline: true },
  ];
  let used = countTokens(head, ctx.model);
  const taken: string[][] = lists.map(() => []);
  const longest = Math.max(0, ...lists.map((list) => list.lines.length));
  for (let i = 0; i < longest; i++) {
    lists.forEach((list, k) => {
      const line = list.lines[i];
      if (line === undefined) return;
      const cost = countTokens(line, ctx.model) + 1 + (taken[k].length === 0 ? countTokens(list.title, ctx.model) + 2 : 0);
      if (used + cost > ctx.budgetTokens) return;
      used += cost;
      taken[k].push(line);
    });
  }
  const sections = lists
    .map((list, k) => (taken[k].length === 0 ? '' : list.inline ? `${list.title} ${taken[k].join(', ')}` : [list.title, ...taken[k]].join('\n')))
    .filter(Boolean);
  return [head, ...sections].join('\n\n');
}
