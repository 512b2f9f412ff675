import { escapeHtml, neutraliseMentions, type BotLanguage } from '@kraken/chat';
import { MESSAGE_KINDS } from '@kraken/contracts';
import type { Month, MonthlyStats } from '@kraken/stats';
import { countOf, dayLabel, DIGEST_TEXTS, monthLabel, type FallbackReason } from './digest-texts';
import { formatChange, monthChange } from './month-change';
import { packParts } from './post-parts';

/** A best meme as the post lists it. */
export interface PostMeme {
  authorName: string;
  /** Link to its channel post. */
  link: string;
  reactions: number;
}

/** What the digest post shows. */
export interface DigestPostInput {
  language: BotLanguage;
  month: Month;
  chatTitle: string | null;
  stats: MonthlyStats;
  /** Messages of the month before (null: unknown). */
  messagesPrev: number | null;
  /** Member count at the end of the month before (null: no snapshot). */
  membersPrev: number | null;
  /** Ten headlines, plain text (`> <emoji> <text>`), escaped here; none for a month without messages (the post says so). */
  headlines: readonly string[];
  /** Set when the headlines were built from the numbers. */
  fallbackReason?: FallbackReason;
  bestMemes: readonly PostMeme[];
}

/** The rendered post: the chart's caption and the text messages, all Telegram HTML within the limits. */
export interface DigestPost {
  /** Title for the chart's caption: the chat title is cut to 128 characters (Telegram's title limit), so even fully escaped it stays below the 1,024-character caption limit. */
  caption: string;
  /** The post's messages in order, each ≤ 4,096 characters. */
  parts: string[];
}

/**
 * `Label: 56 ▲ 12% (было 50)`, `Label: 56, без изменений` when unchanged, leaving out the change when
 * the previous value is unknown.
 */
function numberLine(input: DigestPostInput, label: string, current: number, previous: number | null): string {
  const t = DIGEST_TEXTS[input.language];
  const change = monthChange(current, previous);
  if (change?.arrow === '=') return `${label}: ${current}, ${t.noChange}`;
  return [`${label}: ${current}`, formatChange(change, t.noChange), previous === null ? '' : t.was(previous)].filter(Boolean).join(' ');
}

/** The numbers section: every field of the month's statistics, with the month-over-month changes. */
function numbersBlock(input: DigestPostInput): string {
  const { stats, language } = input;
  const t = DIGEST_TEXTS[language];
  const lines = [
    t.numbersTitle,
    numberLine(input, t.messagesLine, stats.messages, input.messagesPrev),
    numberLine(input, t.activeLine, stats.activeParticipants, stats.activeParticipantsPrev),
  ];
  const { start, end } = stats.members;
  if (end === null) lines.push(t.membersUnknown);
  else {
    const from = start === null ? '' : `${start} → `;
    const change = monthChange(end, input.membersPrev ?? start);
    const shown = formatChange(change, t.noChange);
    lines.push(`${t.membersLine}: ${from}${end}${!shown ? '' : change?.arrow === '=' ? `, ${shown}` : ` ${shown}`}`);
  }
  lines.push(t.joinsLeaves(stats.joins, stats.leaves), t.interactions(stats.replies, stats.forwards, stats.stories, stats.edits));
  const kinds = MESSAGE_KINDS.filter((k) => stats.byKind[k] > 0).map((k) => `${t.kindNames[k]} ${stats.byKind[k]}`);
  if (kinds.length) lines.push(`${t.byKindLine}: ${kinds.join(' · ')}`);
  lines.push(stats.busiestDay ? t.busiestDay(dayLabel(language, stats.busiestDay.date), countOf(language, stats.busiestDay.messages, t.messages)) : t.noMessages);
  if (stats.topPosters.length) {
    lines.push(`${t.topPostersLine}: ${stats.topPosters.map((p) => `${neutraliseMentions(escapeHtml(p.name))} (${p.messages})`).join(', ')}`);
  }
  lines.push(t.memesLine(stats.memes.submitted, stats.memes.approved, stats.memes.rejected, stats.memes.pending));
  return lines.join('\n');
}

/**
 * Renders the digest post (Telegram HTML, every outside text escaped): title, the numbers, the topic
 * of the month (the ten headlines, with a note when they were built from the numbers, or a note that
 * the month had no messages), and the best
 * memes with links to their channel posts; split into messages of at most 4,096 characters. No
 * `@username` in a headline or a member's name survives as a mention (neutraliseMentions).
 */
export function renderDigestPost(input: DigestPostInput): DigestPost {
  const t = DIGEST_TEXTS[input.language];
  const title = t.title(monthLabel(input.language, input.month), input.chatTitle);
  // Headlines come from the model and names from members: neither may ping anyone (`@name` loses its `@`).
  const headlines = [t.headlinesTitle, ...(input.headlines.length ? input.headlines.map((h) => neutraliseMentions(escapeHtml(h))) : [t.emptyMonthNote])];
  if (input.fallbackReason) headlines.push(t.fallbackNote[input.fallbackReason]);
  const blocks = [title, numbersBlock(input), headlines.join('\n')];
  if (input.bestMemes.length) {
    const memes = input.bestMemes.map((m, i) =>
      t.memeLink(i + 1, `<a href="${escapeHtml(m.link)}">${neutraliseMentions(escapeHtml(m.authorName))}</a>`, countOf(input.language, m.reactions, t.reactions)),
    );
    blocks.push([t.bestMemesTitle, ...memes].join('\n'));
  }
  return { caption: title, parts: packParts(blocks) };
}
