/** A Bot API User or Chat as far as naming goes. */
export interface Nameable {
  first_name?: string;
  last_name?: string;
  title?: string;
  username?: string;
}

/** Display name: "First Last" for users, the title for chats, then @username, else "Unknown". */
export function displayName(who: Nameable | undefined | null): string {
  if (!who) return 'Unknown';
  const full = [who.first_name, who.last_name].filter(Boolean).join(' ').trim();
  return (full || who.title || (who.username ? `@${who.username}` : '') || 'Unknown').slice(0, 256);
}
