import type { MessageFact } from '@kraken/contracts';

/** A realistic group text message update (Bot API shape) with id `n`. */
export function textUpdate(n: number, chatId = -1001234567890): Record<string, unknown> {
  return {
    update_id: n,
    message: {
      message_id: n,
      date: 1_760_000_000 + n,
      chat: { id: chatId, type: 'supergroup', title: 'Bench chat' },
      from: { id: 1000 + (n % 300), is_bot: false, first_name: `Member ${n % 300}` },
      text: `benchmark message number ${n}, with a few words to look like chat`,
    },
  };
}

/** A `stats` message fact with id `n`, as the gateway would enqueue it. */
export function messageFact(n: number, chatId = -1001234567890): MessageFact {
  return {
    updateId: n,
    chat: { id: chatId, type: 'supergroup', title: 'Bench chat' },
    messageId: n,
    date: 1_760_000_000 + n,
    sender: { id: 1000 + (n % 300), kind: 'user', name: `Member ${n % 300}`, isBot: false },
    kind: 'text',
    text: `benchmark message number ${n}`,
    textLength: 28,
  };
}
