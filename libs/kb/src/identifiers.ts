/**
 * Words hidden in code identifiers, for the search index: `sendPhoto` → `send photo`,
 * `InlineKeyboardMarkup` → `inline keyboard markup`, `message_thread_id` → `message thread id`, so
 * a question in plain words ("how do I send a photo") finds a section titled with the identifier.
 * Returns '' when `text` has no such identifiers.
 */
export function identifierWords(text: string): string {
  const identifiers = text.match(/[\p{L}\d]+(?:[_-][\p{L}\d]+)+|\p{L}*\p{Ll}\p{Lu}[\p{L}\d]*/gu) ?? [];
  return identifiers
    .map((id) =>
      id
        .replace(/[_-]+/g, ' ')
        .replace(/(\p{Ll})(\p{Lu})/gu, '$1 $2')
        .replace(/(\p{Lu})(\p{Lu}\p{Ll})/gu, '$1 $2')
        .toLowerCase(),
    )
    .join(' ');
}
