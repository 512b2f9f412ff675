/**
 * The bot's user id from its token: a token is `<bot id>:<secret>`
 * (https://core.telegram.org/bots/api#authorizing-your-bot; the prefix is the bot's Telegram user id).
 * @throws Error when the token has no numeric prefix
 */
export function botIdFromToken(token: string): number {
  const id = Number(token.split(':')[0]);
  if (!Number.isSafeInteger(id) || id <= 0) throw new Error('a bot token starts with the bot id, e.g. 123456:ABC-DEF');
  return id;
}
