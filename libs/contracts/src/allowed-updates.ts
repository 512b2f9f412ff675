/**
 * Update kinds Kraken asks Telegram for (`allowed_updates` of setWebhook/getUpdates,
 * https://core.telegram.org/bots/api#update). chat_member, message_reaction and
 * message_reaction_count are only sent when listed explicitly.
 */
export const ALLOWED_UPDATES = [
  'message',
  'edited_message',
  'channel_post',
  'edited_channel_post',
  'chat_member',
  'my_chat_member',
  'message_reaction',
  'message_reaction_count',
  'callback_query',
] as const;
