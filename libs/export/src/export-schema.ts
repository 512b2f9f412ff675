/**
 * Zod schemas for Telegram Desktop's JSON export ("Export chat history" / "Export Telegram data",
 * format written by Telegram Desktop's `export_output_json.cpp`).
 *
 * Shapes, as far as this module relies on them:
 * - single-chat export: one object `{ name, type, id, messages[] }`;
 * - full-account export: `{ chats: { list: [chat] }, left_chats?: { list: [chat] }, ... }`;
 * - a message: `{ id, type: "message" | "service" | "unsupported", date (local time, unreliable),
 *   date_unixtime (UTC seconds as a decimal string), text, text_entities, ... }`.
 *
 * The format is loose (keys come and go between Desktop versions, most are optional), so every
 * object schema is a `looseObject`: unknown keys pass through untouched. Only what the mapping needs
 * is typed; date strings are validated but kept as strings, like in the file.
 */
import { z } from 'zod';

/** A UTC Unix time in seconds written as a decimal string (`date_unixtime`, `edited_unixtime`). */
const unixTimeString = z.string().regex(/^\d+$/, 'expected Unix seconds as a decimal string');

/** A peer reference: `user<digits>`, `channel<digits>` (supergroups and channels) or `chat<digits>`. */
export const exportPeerIdSchema = z
  .string()
  .regex(/^(user|channel|chat)\d+$/, 'expected "user<digits>", "channel<digits>" or "chat<digits>"');

/**
 * One formatted piece of text. In `text_entities` every piece is an object (`type: "plain"` for
 * unformatted runs); in `text` unformatted runs are bare strings. Extra keys per type: `href`
 * (text_link), `user_id` (mention_name), `document_id` (custom_emoji), `language` (pre),
 * `collapsed` (blockquote, newer exports).
 */
export const exportTextPartSchema = z.looseObject({
  type: z.string(),
  text: z.string(),
  href: z.string().optional(),
  user_id: z.union([z.number(), z.string()]).optional(),
  document_id: z.union([z.number(), z.string()]).optional(),
  language: z.string().optional(),
  collapsed: z.boolean().optional(),
});

/** `text`: a plain string, or an array of strings and formatted pieces. */
export const exportTextSchema = z.union([z.string(), z.array(z.union([z.string(), exportTextPartSchema]))]);

/** One entry of `reactions`: `type` is "emoji", "custom_emoji" or "paid"; `recent` lists a few reactors. */
export const exportReactionSchema = z.looseObject({
  type: z.string(),
  count: z.number().int().nonnegative(),
  emoji: z.string().optional(),
  document_id: z.union([z.number(), z.string()]).optional(),
  recent: z
    .array(
      z.looseObject({
        from: z.string().nullable().optional(),
        from_id: exportPeerIdSchema.optional(),
        date: z.string().optional(),
      }),
    )
    .optional(),
});

/** A poll as exported: answers carry only text and vote counts (no ids). */
export const exportPollSchema = z.looseObject({
  question: z.string(),
  closed: z.boolean().optional(),
  total_voters: z.number().int().nonnegative().optional(),
  answers: z.array(
    z.looseObject({
      text: z.string(),
      voters: z.number().int().nonnegative().optional(),
      chosen: z.boolean().optional(),
    }),
  ),
});

const optionalInt = z.number().int().optional();
const optionalString = z.string().optional();

/** One exported message or service message. `from`/`actor` are null for deleted accounts. */
export const exportMessageSchema = z.looseObject({
  id: z.number().int(),
  type: z.string(),
  date_unixtime: unixTimeString,
  edited_unixtime: unixTimeString.optional(),
  text: exportTextSchema.optional(),
  text_entities: z.array(exportTextPartSchema).optional(),
  from: z.string().nullable().optional(),
  from_id: exportPeerIdSchema.optional(),
  author: optionalString,
  actor: z.string().nullable().optional(),
  actor_id: exportPeerIdSchema.optional(),
  action: optionalString,
  members: z.array(z.string().nullable()).optional(),
  title: optionalString,
  new_title: optionalString,
  new_icon_emoji_id: z.union([z.number(), z.string()]).optional(),
  message_id: optionalInt,
  period: optionalInt,
  duration: optionalInt,
  schedule_date: optionalInt,
  reply_to_message_id: optionalInt,
  reply_to_peer_id: optionalString,
  forwarded_from: z.string().nullable().optional(),
  forwarded_from_id: exportPeerIdSchema.optional(),
  photo: optionalString,
  photo_file_size: optionalInt,
  width: optionalInt,
  height: optionalInt,
  file: optionalString,
  file_name: optionalString,
  file_size: optionalInt,
  mime_type: optionalString,
  media_type: optionalString,
  sticker_emoji: optionalString,
  duration_seconds: optionalInt,
  performer: optionalString,
  poll: exportPollSchema.optional(),
  contact_information: z
    .looseObject({ first_name: optionalString, last_name: optionalString, phone_number: optionalString })
    .optional(),
  location_information: z.looseObject({ latitude: z.number(), longitude: z.number() }).nullable().optional(),
  place_name: optionalString,
  address: optionalString,
  reactions: z.array(exportReactionSchema).optional(),
});

/** One exported chat. `name` is null for a deleted account's personal chat. */
export const exportChatSchema = z.looseObject({
  name: z.string().nullable().optional(),
  type: z.string(),
  id: z.number().int(),
  messages: z.array(exportMessageSchema),
});

/** Full-account export wrapper: chats under `chats.list` (and, when exported, `left_chats.list`). */
export const fullExportSchema = z.looseObject({
  chats: z.looseObject({ list: z.array(exportChatSchema) }),
  left_chats: z.looseObject({ list: z.array(exportChatSchema) }).optional(),
});

/** A validated exported chat (unknown keys preserved). */
export type ExportChat = z.infer<typeof exportChatSchema>;
/** A validated exported message or service message (unknown keys preserved). */
export type ExportMessage = z.infer<typeof exportMessageSchema>;
/** A formatted text piece from `text` / `text_entities`. */
export type ExportTextPart = z.infer<typeof exportTextPartSchema>;
/** An exported reaction summary. */
export type ExportReaction = z.infer<typeof exportReactionSchema>;
