/**
 * Link to a message of a supergroup or channel: `https://t.me/c/<internal id>/<message id>`, with the
 * topic in forums: `https://t.me/c/<internal id>/<topic id>/<message id>`. The internal id is the Bot
 * API id without its `-100` prefix (https://core.telegram.org/api/bots/ids). Basic groups and private
 * chats have no such links: null.
 */
export function messageLink(chatId: number, messageId: number, topicId?: number): string | null {
  const id = String(chatId);
  if (!id.startsWith('-100') || id.length <= 4) return null;
  const internal = id.slice(4);
  return topicId ? `https://t.me/c/${internal}/${topicId}/${messageId}` : `https://t.me/c/${internal}/${messageId}`;
}
