import { readFileSync } from 'node:fs';

/**
 * The end-to-end tests' independent reference: monthly statistics computed straight from a Telegram
 * Desktop export with this file's own small code (not the pipeline's normalizer), following the
 * README's definitions.
 */
export interface ReferenceMonth {
  messages: number;
  byKind: Record<string, number>;
  activeParticipants: number;
  activeParticipantsPrev: number;
  joins: number;
  leaves: number;
  forwards: number;
  stories: number;
  replies: number;
  edits: number;
  topPosters: Array<{ userId: number; name: string; messages: number }>;
  busiestDay: { date: string; messages: number } | null;
}

type Raw = Record<string, any>;

const MEDIA: Record<string, string> = {
  sticker: 'sticker',
  video_file: 'video',
  animation: 'animation',
  voice_message: 'voice',
  video_message: 'video_note',
  audio_file: 'audio',
};

function kindOf(m: Raw): string {
  if (m.photo) return 'photo';
  if (m.file || m.media_type) return MEDIA[m.media_type] ?? 'document';
  if (m.poll) return 'poll';
  const text = typeof m.text === 'string' ? m.text : m.text.map((p: any) => (typeof p === 'string' ? p : p.text)).join('');
  return text.length > 0 ? 'text' : 'other';
}

/** `user123` → 123; `channel456` → -100456 (Bot API ids of supergroups and channels). */
function senderId(fromId: string): number {
  return fromId.startsWith('channel') ? -Number(`100${fromId.slice(7)}`) : Number(fromId.replace(/^user/, ''));
}

const fmt = (tz: string, unix: number, withDay: boolean) =>
  new Intl.DateTimeFormat('en-CA', { timeZone: tz, year: 'numeric', month: '2-digit', ...(withDay ? { day: '2-digit' } : {}) }).format(new Date(unix * 1000));

function previous(month: string): string {
  const [y, m] = month.split('-').map(Number);
  return m === 1 ? `${y - 1}-12` : `${y}-${String(m - 1).padStart(2, '0')}`;
}

/** Reads the only chat of an export file (full-account or single-chat format). */
export function loadExportChat(path: string): { id: number; messages: Raw[] } {
  const json = JSON.parse(readFileSync(path, 'utf8'));
  const chat = json.chats ? json.chats.list[0] : json;
  return { id: chat.id, messages: chat.messages };
}

/** Statistics of every month (in `tz`) that has messages or member events, keyed `YYYY-MM`. */
export function referenceStats(messages: Raw[], tz: string): Map<string, ReferenceMonth> {
  const valid = messages.filter((m) => m.id > 0);
  const topicRoots = new Set(valid.filter((m) => m.action === 'topic_created').map((m) => m.id));
  const months = new Map<string, ReferenceMonth>();
  const senders = new Map<string, Set<number>>();
  const posters = new Map<string, Map<number, number>>();
  const days = new Map<string, Map<string, number>>();
  const names = new Map<number, string>();
  const month = (key: string) => {
    if (!months.has(key)) {
      months.set(key, {
        messages: 0, byKind: {}, activeParticipants: 0, activeParticipantsPrev: 0, joins: 0, leaves: 0,
        forwards: 0, stories: 0, replies: 0, edits: 0, topPosters: [], busiestDay: null,
      });
      senders.set(key, new Set());
      posters.set(key, new Map());
      days.set(key, new Map());
    }
    return months.get(key)!;
  };
  for (const m of valid) {
    const unix = Number(m.date_unixtime);
    const key = fmt(tz, unix, false);
    if (m.type === 'service') {
      if (m.action === 'join_group_by_link' || m.action === 'join_group_by_request') month(key).joins += 1;
      if (m.action === 'invite_members') month(key).joins += m.members.length;
      if (m.action === 'remove_members') month(key).leaves += m.members.length;
      continue;
    }
    const s = month(key);
    s.messages++;
    const kind = kindOf(m);
    s.byKind[kind] = (s.byKind[kind] ?? 0) + 1;
    if (m.forwarded_from !== undefined || m.forwarded_from_id !== undefined) s.forwards++;
    if (m.reply_to_message_id !== undefined && !topicRoots.has(m.reply_to_message_id)) s.replies++;
    if (m.edited_unixtime) month(fmt(tz, Number(m.edited_unixtime), false)).edits++;
    const id = senderId(m.from_id);
    names.set(id, m.from ?? 'Deleted Account');
    senders.get(key)!.add(id);
    posters.get(key)!.set(id, (posters.get(key)!.get(id) ?? 0) + 1);
    const day = fmt(tz, unix, true);
    days.get(key)!.set(day, (days.get(key)!.get(day) ?? 0) + 1);
  }
  for (const [key, s] of months) {
    s.activeParticipants = senders.get(key)!.size;
    s.activeParticipantsPrev = senders.get(previous(key))?.size ?? 0;
    s.topPosters = [...posters.get(key)!.entries()]
      .sort(([a, x], [b, y]) => y - x || a - b)
      .slice(0, 10)
      .map(([userId, n]) => ({ userId, name: names.get(userId)!, messages: n }));
    const [best] = [...days.get(key)!.entries()].sort(([a, x], [b, y]) => y - x || (a < b ? -1 : 1));
    s.busiestDay = best ? { date: best[0], messages: best[1] } : null;
  }
  return months;
}
