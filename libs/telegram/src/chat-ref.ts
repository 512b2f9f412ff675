import type { ChatRef } from '@kraken/contracts';

/** Reduces a Bot API Chat to the reference carried in jobs. */
export function chatRef(chat: { id: number; type: string; title?: string; username?: string }): ChatRef {
  return {
    id: chat.id,
    type: chat.type as ChatRef['type'],
    ...(chat.title ? { title: chat.title.slice(0, 256) } : {}),
    ...(chat.username ? { username: chat.username } : {}),
  };
}
