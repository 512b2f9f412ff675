/** A message line of Kraken's chat prompt (libs/chat formatEntry), split into its parts. */
export interface PromptLine {
  id: number;
  /** True for Kraken's own answers (the unquoted `you`). */
  you: boolean;
  /** The sender's name, unquoted; null for `you`. */
  from: string | null;
  /** Marked `(bot)` (another bot). */
  bot: boolean;
  /** The forward label inside `[forwarded from …]`, if any. */
  forward?: string;
  /** The message text, unquoted. */
  text: string;
}

const QUOTED = String.raw`"(?:[^"\\]|\\.)*"`;
const LINE = new RegExp(
  String.raw`^#(\d+) \d\d:\d\d (you|${QUOTED}(?: \(bot\))?)(?: \(reply to #\d+\))?(?: \[forwarded from ((?:channel|chat|user|hidden user) ${QUOTED}(?: @\w+)?)\])?(?: \[[a-z ]+\])?: (${QUOTED})$`,
);

/**
 * Parses one prompt line written by formatEntry: `#id HH:MM "name" (bot)? (reply to #id)? [forwarded
 * from …]? [media]?: "text"`, or `you` in place of the name. Null when the line is not exactly that,
 * which is what a forged line would be.
 */
export function parsePromptLine(line: string): PromptLine | null {
  const match = LINE.exec(line);
  if (!match) return null;
  const [, id, who, forward, text] = match;
  const you = who === 'you';
  const bot = !you && who.endsWith(' (bot)');
  return {
    id: Number(id),
    you,
    from: you ? null : (JSON.parse(bot ? who.slice(0, -' (bot)'.length) : who) as string),
    bot,
    ...(forward ? { forward } : {}),
    text: JSON.parse(text) as string,
  };
}
