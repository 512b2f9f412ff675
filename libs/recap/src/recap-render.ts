import type { RecapLanguage } from './chat-language';
import { messageLink } from './message-link';
import type { RecapMessage } from './recap.repository';
import { MAX_LINKS, MAX_TOPICS, type RecapSummary } from './recap-summary';
import { RECAP_TEXTS } from './recap-texts';

/** Escapes `&`, `<`, `>` and `"` for Telegram HTML. */
const escape = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** Most people named per topic. */
const MAX_PEOPLE = 6;

/** What renderRecap needs besides the summary. */
export interface RenderInput {
  chatId: number;
  language: RecapLanguage;
  /** The window's messages: only their ids become links. */
  messages: readonly RecapMessage[];
  from: Date;
  to: Date;
  tz: string;
  /** The model's own text when it did not return JSON. */
  fallbackText?: string;
  droppedLines?: number;
}

/**
 * The recap as Telegram HTML: header with the window, up to 7 topics (title, summary, up to 5 links
 * to the messages it is about, who took part: the senders of those messages and the names the model
 * gave that are senders in the window, never a name it made up), then the open questions. A message id the model cited
 * becomes a link only when it is one of the window's stored messages (`https://t.me/c/…`, with the
 * forum topic when the message has one); other ids are dropped. Everything from the model is escaped.
 */
export function renderRecap(summary: RecapSummary, input: RenderInput): string {
  const t = RECAP_TEXTS[input.language];
  const byId = new Map(input.messages.map((m) => [m.messageId, m]));
  const senders = new Set(input.messages.map((m) => m.sender));
  const when = (date: Date) =>
    new Intl.DateTimeFormat('ru-RU', { timeZone: input.tz, day: '2-digit', month: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(date).replace(',', '');
  const lines = [t.title, `<i>${escape(t.window(when(input.from), when(input.to), input.messages.length))}</i>`, ''];
  if (input.fallbackText) {
    lines.push(escape(input.fallbackText));
  } else if (summary.topics.length === 0) {
    lines.push(t.nothingImportant);
  }
  summary.topics.slice(0, MAX_TOPICS).forEach((topic, i) => {
    const links = [...new Set(topic.messages)]
      .filter((id) => byId.has(id))
      .slice(0, MAX_LINKS)
      .flatMap((id) => {
        const url = messageLink(input.chatId, id, byId.get(id)?.topicId ?? undefined);
        return url ? [`<a href="${url}">#${id}</a>`] : [];
      });
    const head = `<b>${i + 1}. ${escape(topic.title || topic.summary.slice(0, 60))}</b>${topic.summary && topic.title ? ` — ${escape(topic.summary)}` : ''}`;
    // Who took part: the senders of the cited messages, then names the model gave that are real senders of the window.
    const cited = topic.messages.flatMap((id) => (byId.has(id) ? [byId.get(id)!.sender] : []));
    const people = [...new Set([...cited, ...topic.people.filter((name) => senders.has(name))])].slice(0, MAX_PEOPLE);
    const details = [links.join(' '), people.length ? `${t.people} ${escape(people.join(', '))}` : ''].filter(Boolean).join(' · ');
    lines.push(head, ...(details ? [details] : []), '');
  });
  if (summary.openQuestions.length) {
    lines.push(t.openQuestions, ...summary.openQuestions.slice(0, 5).map((q) => `• ${escape(q)}`), '');
  }
  if (input.droppedLines) lines.push(t.dropped(input.droppedLines));
  return lines.join('\n').replace(/\n{3,}/g, '\n\n').trim();
}
