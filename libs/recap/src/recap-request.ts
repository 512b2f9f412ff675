/** What a `/recap` asks for. */
export type RecapSpec =
  | { kind: 'default' }
  | { kind: 'hours'; hours: number }
  | { kind: 'messages'; count: number }
  | { kind: 'from-message'; messageId: number };

/**
 * Reads the arguments of `/recap`: '' → the default window (since the asker's last message),
 * `6h` / `6 ч` / `90m` / `90 мин` → that long (minutes as a fraction of an hour), `200` → the last 200
 * messages. A reply turns it into
 * "from that message on" whatever the arguments. Anything unreadable is null (the caller explains).
 */
export function parseRecapArgs(args: string, fromMessageId?: number): RecapSpec | null {
  if (fromMessageId) return { kind: 'from-message', messageId: fromMessageId };
  const text = args.trim().toLowerCase();
  if (!text) return { kind: 'default' };
  const duration = /^(\d{1,4})\s*(h|ч|час|часа|часов|hours?|m|м|мин|min|minutes?)$/u.exec(text);
  if (duration) {
    const n = Number(duration[1]);
    const minutes = /^(m|м|мин|min|minutes?)$/u.test(duration[2]);
    const hours = minutes ? n / 60 : n;
    return hours > 0 ? { kind: 'hours', hours } : null;
  }
  if (/^\d{1,6}$/.test(text)) {
    const count = Number(text);
    return count > 0 ? { kind: 'messages', count } : null;
  }
  return null;
}
