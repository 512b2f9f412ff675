import type { BotLanguage } from '@kraken/chat';
import type { MonthlyStats } from '@kraken/stats';
import { countOf, dayLabel, DIGEST_TEXTS } from './digest-texts';
import { monthChange } from './month-change';

/**
 * Ten headlines built from the month's numbers (plain text, `> <emoji> <lowercase text>` like the
 * LLM's), used when the LLM is not configured, unavailable, or its answer cannot be parsed: messages
 * and their change against `messagesPrev` (null: unknown), active participants, the top poster, the
 * busiest day, replies, forwards, joins and leaves, photos/videos/stickers, edits, memes.
 */
export function fallbackHeadlines(stats: MonthlyStats, messagesPrev: number | null, language: BotLanguage): string[] {
  const t = DIGEST_TEXTS[language];
  const f = t.fallback;
  const change = monthChange(stats.messages, messagesPrev);
  const changeText =
    !change || change.arrow === '='
      ? f.changeSame
      : change.percent === null
        ? f.changeNew
        : change.arrow === '▲'
          ? f.changeMore(change.percent)
          : f.changeLess(change.percent);
  const top = stats.topPosters[0];
  return [
    f.messages(countOf(language, stats.messages, t.messages), changeText),
    f.active(countOf(language, stats.activeParticipants, t.people)),
    top ? f.topPoster(top.name, countOf(language, top.messages, t.messages)) : f.noTopPoster,
    stats.busiestDay ? f.busiestDay(dayLabel(language, stats.busiestDay.date), countOf(language, stats.busiestDay.messages, t.messages)) : f.noBusiestDay,
    f.replies(stats.replies),
    f.forwards(stats.forwards),
    f.members(stats.joins, stats.leaves),
    f.media(stats.byKind.photo, stats.byKind.video, stats.byKind.sticker),
    f.edits(stats.edits),
    f.memes(stats.memes.submitted, stats.memes.approved),
  ];
}
