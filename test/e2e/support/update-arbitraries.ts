import fc from 'fast-check';

/**
 * fast-check generators of Bot API updates for the webhook's property tests, shaped after the Update
 * schema Kraken checks (libs/telegram/src/update-schema.ts): `validUpdate` builds updates of every
 * subscribed kind with random but well-typed fields (texts in any script, bot-name triggers, replies,
 * entities, forwards, media, member changes, reactions, button presses); `malformedUpdate` takes one
 * and breaks a field the schema checks (wrong type, missing, truncated …); the others make bodies
 * that are not updates at all.
 */

type Json = Record<string, unknown>;

const id = fc.integer({ min: 1, max: 2 ** 40 });
/** Message and topic ids are positive 32-bit integers. */
const messageId = fc.integer({ min: 1, max: 2 ** 31 - 1 });
const date = fc.integer({ min: 1_600_000_000, max: 1_900_000_000 });
/** Any text: ASCII, any Unicode, model special tokens, bot-name triggers, commands. */
const anyText = fc.oneof(
  fc.string({ maxLength: 60 }),
  fc.string({ unit: 'grapheme', maxLength: 120 }),
  fc.constantFrom('Кракен, что нового?', 'Kraken, hi', '<|endoftext|>', '/usage', '/policy off', '/digest preview', '/meme', '#мем', 'Кто знает, где встреча?'),
);
const name = fc.string({ unit: 'grapheme', minLength: 1, maxLength: 40 });

const user: fc.Arbitrary<Json> = fc.record(
  { id, is_bot: fc.constantFrom(false, false, false, true), first_name: name, last_name: name, username: fc.stringMatching(/^[A-Za-z][A-Za-z0-9_]{4,31}$/) },
  { requiredKeys: ['id', 'is_bot', 'first_name'] },
);
const groupChat: fc.Arbitrary<Json> = fc.record({ id: fc.integer({ min: -(2 ** 40), max: -1 }), type: fc.constantFrom('group', 'supergroup'), title: name });
const privateChat: fc.Arbitrary<Json> = fc.record({ id, type: fc.constant('private'), first_name: name });
const channel: fc.Arbitrary<Json> = fc.record({ id: fc.integer({ min: -(2 ** 40), max: -1 }), type: fc.constant('channel'), title: name });
const chat = fc.oneof(groupChat, privateChat);
const entity: fc.Arbitrary<Json> = fc.record(
  { type: fc.constantFrom('mention', 'bold', 'url', 'bot_command', 'text_mention', 'hashtag'), offset: fc.nat(60), length: fc.nat(40), user },
  { requiredKeys: ['type', 'offset', 'length'] },
);
const file: fc.Arbitrary<Json> = fc.record({ file_id: fc.string({ minLength: 1, maxLength: 30 }), file_unique_id: fc.string({ minLength: 1, maxLength: 16 }) });
const origin: fc.Arbitrary<Json> = fc.oneof(
  fc.record({ type: fc.constant('user'), date, sender_user: user }),
  fc.record({ type: fc.constant('hidden_user'), date, sender_user_name: name }),
  fc.record({ type: fc.constant('channel'), date, chat: channel, message_id: messageId }),
);

/** The fields of a message other than chat and reply (optional ones may be absent). */
const messageBody: fc.Arbitrary<Json> = fc.record(
  {
    message_id: messageId,
    date,
    from: user,
    text: anyText,
    entities: fc.array(entity, { maxLength: 3 }),
    caption: anyText,
    forward_origin: origin,
    message_thread_id: messageId,
  },
  { requiredKeys: ['message_id', 'date', 'from'] },
)
  .chain((m) =>
    // Most messages are text; some carry a photo, an animation or a sticker; one in eight is a service
    // message (members joined).
    fc.oneof(
      { weight: 8, arbitrary: fc.constant(m as Json) },
      { weight: 2, arbitrary: fc.array(file, { minLength: 1, maxLength: 3 }).map((photo): Json => ({ ...(m as Json), photo })) },
      { weight: 1, arbitrary: file.map((animation): Json => ({ ...(m as Json), animation })) },
      { weight: 1, arbitrary: file.map((sticker): Json => ({ ...(m as Json), sticker })) },
      { weight: 2, arbitrary: fc.array(user, { minLength: 1, maxLength: 3 }).map((members): Json => ({ ...(m as Json), new_chat_members: members })) },
    ),
  )
  .map((m: Json) => {
    // A message has text or a caption, not both; a photo message has no text.
    const { text, caption, photo, ...rest } = m;
    return photo ? { ...rest, photo, ...(caption !== undefined ? { caption } : {}) } : { ...rest, ...(text !== undefined ? { text } : {}) };
  });

const message: fc.Arbitrary<Json> = fc
  .tuple(chat, messageBody, fc.option(messageBody, { nil: undefined }))
  .map(([c, m, reply]) => ({ ...m, chat: c, ...(reply ? { reply_to_message: { ...reply, chat: c } } : {}) }));
const memberStatus = fc.constantFrom('creator', 'administrator', 'member', 'restricted', 'left', 'kicked');
const chatMember: fc.Arbitrary<Json> = fc.record({ status: memberStatus, user, is_member: fc.boolean() }, { requiredKeys: ['status', 'user'] });
const reaction: fc.Arbitrary<Json> = fc.oneof(
  fc.record({ type: fc.constant('emoji'), emoji: fc.constantFrom('👍', '🔥', '❤', '😁') }),
  fc.record({ type: fc.constant('custom_emoji'), custom_emoji_id: fc.string({ minLength: 1, maxLength: 20 }) }),
);

/** One well-formed update of a kind Kraken subscribes to (without update_id). */
const updatePayload: fc.Arbitrary<Json> = fc.oneof(
  { weight: 5, arbitrary: message.map((m) => ({ message: m })) },
  { weight: 1, arbitrary: fc.tuple(message, date).map(([m, edit]) => ({ edited_message: { ...m, edit_date: edit } })) },
  { weight: 1, arbitrary: fc.tuple(channel, messageBody).map(([c, m]) => ({ channel_post: { ...m, chat: c, from: undefined } })) },
  { weight: 1, arbitrary: fc.record({ chat: groupChat, from: user, date, old_chat_member: chatMember, new_chat_member: chatMember }).map((u) => ({ chat_member: u })) },
  {
    weight: 1,
    arbitrary: fc
      .record({ chat: groupChat, message_id: messageId, date, user, old_reaction: fc.array(reaction, { maxLength: 2 }), new_reaction: fc.array(reaction, { maxLength: 2 }) })
      .map((u) => ({ message_reaction: u })),
  },
  {
    weight: 1,
    arbitrary: fc
      .record({ chat: groupChat, message_id: messageId, date, reactions: fc.array(fc.record({ type: reaction, total_count: fc.nat(50) }), { maxLength: 3 }) })
      .map((u) => ({ message_reaction_count: u })),
  },
  {
    weight: 1,
    arbitrary: fc
      .record({ id: fc.string({ minLength: 1, maxLength: 20 }), from: user, chat_instance: fc.string({ maxLength: 20 }), data: fc.string({ maxLength: 64 }), message: fc.record({ message_id: messageId, date, chat: groupChat }) })
      .map((q) => ({ callback_query: q })),
  },
);

/** A well-formed update with a fresh `update_id` (JSON round trip drops undefined fields). */
export const validUpdate: fc.Arbitrary<Json> = fc
  .tuple(fc.integer({ min: 1, max: 2 ** 31 }), updatePayload)
  .map(([updateId, payload]) => JSON.parse(JSON.stringify({ update_id: updateId, ...payload })) as Json);

/** A JSON value that is not of the type at `path` (any of them differs from every checked field's type). */
const wrongValue = (kind: 'string' | 'number' | 'object' | 'array' | 'boolean'): fc.Arbitrary<unknown> =>
  fc.oneof(
    ...(kind !== 'string' ? [fc.string({ maxLength: 20 })] : []),
    ...(kind !== 'number' ? [fc.integer()] : [fc.double({ noInteger: true, noDefaultInfinity: true, noNaN: true })]),
    ...(kind !== 'object' ? [fc.dictionary(fc.string({ maxLength: 5 }), fc.integer(), { maxKeys: 2 }).filter((o) => Object.keys(o).length > 0 || kind !== 'array')] : []),
    ...(kind !== 'array' ? [fc.array(fc.integer(), { maxLength: 2 })] : []),
    ...(kind !== 'boolean' ? [fc.boolean()] : []),
    fc.constant(null),
  );

/** Message ids outside a positive 32-bit integer (forged; they would not fit Kraken's tables). */
const outOfRangeMessageId = fc.oneof(fc.integer({ min: 2 ** 31, max: Number.MAX_SAFE_INTEGER }), fc.integer({ min: -(2 ** 31), max: 0 }));

/** Fields of each kind the Update schema checks, with their JSON type (paths below the kind's payload). */
const CHECKED: Record<string, Array<[path: Array<string | number>, type: 'string' | 'number' | 'object' | 'array' | 'boolean']>> = {
  message: [
    [['message_id'], 'number'],
    [['date'], 'number'],
    [['chat'], 'object'],
    [['chat', 'id'], 'number'],
    [['chat', 'type'], 'string'],
    [['from'], 'object'],
    [['from', 'id'], 'number'],
    [['text'], 'string'],
    [['entities'], 'array'],
    [['entities', 0], 'object'],
    [['entities', 0, 'offset'], 'number'],
    [['reply_to_message'], 'object'],
    [['reply_to_message', 'chat'], 'object'],
    [['reply_to_message', 'message_id'], 'number'],
    [['reply_to_message', 'from'], 'object'],
    [['reply_to_message', 'chat', 'id'], 'number'],
    [['reply_to_message', 'entities'], 'array'],
    [['forward_origin'], 'object'],
    [['forward_origin', 'sender_user'], 'object'],
    [['photo'], 'array'],
    [['photo', 0, 'file_id'], 'string'],
    [['new_chat_members', 0], 'object'],
    [['message_thread_id'], 'number'],
  ],
  chat_member: [
    [['chat'], 'object'],
    [['old_chat_member'], 'object'],
    [['new_chat_member', 'status'], 'string'],
    [['new_chat_member', 'user'], 'object'],
    [['new_chat_member', 'user', 'id'], 'number'],
    [['date'], 'number'],
  ],
  message_reaction: [
    [['chat', 'id'], 'number'],
    [['message_id'], 'number'],
    [['new_reaction'], 'array'],
    [['new_reaction', 0], 'object'],
    [['user', 'id'], 'number'],
  ],
  message_reaction_count: [
    [['chat'], 'object'],
    [['reactions'], 'array'],
    [['reactions', 0, 'total_count'], 'number'],
  ],
  callback_query: [
    [['id'], 'string'],
    [['from'], 'object'],
    [['message'], 'object'],
    [['message', 'chat'], 'object'],
    [['message', 'message_id'], 'number'],
  ],
};

/** Sets `value` at `path` inside `root`, creating missing containers. */
function setPath(root: Json, path: Array<string | number>, value: unknown): void {
  let node: any = root;
  for (const [i, key] of path.slice(0, -1).entries()) {
    if (node[key] === null || typeof node[key] !== 'object') node[key] = typeof path[i + 1] === 'number' ? [] : {};
    node = node[key];
  }
  node[path[path.length - 1]] = value;
}

/** Deletes the field at `path` when its parent exists. */
function deletePath(root: Json, path: Array<string | number>): void {
  let node: any = root;
  for (const key of path.slice(0, -1)) {
    if (node[key] === null || typeof node[key] !== 'object') return;
    node = node[key];
  }
  delete node[path[path.length - 1]];
}

/** A required field of each kind, deleted by `malformedUpdate` (the others are optional). */
const REQUIRED: Record<string, Array<Array<string>>> = {
  message: [['message_id'], ['date'], ['chat'], ['chat', 'id'], ['chat', 'type']],
  chat_member: [['chat'], ['from'], ['date'], ['old_chat_member'], ['new_chat_member']],
  message_reaction: [['chat'], ['message_id'], ['new_reaction']],
  message_reaction_count: [['chat'], ['reactions']],
  callback_query: [['id'], ['from']],
};

/**
 * An update of a subscribed kind with one field the schema checks broken: given a value of another
 * JSON type (two times in three; message ids also out of the 32-bit range), or a required field deleted. `edited_message` and `channel_post` are broken like messages.
 */
export const malformedUpdate: fc.Arbitrary<Json> = fc
  .tuple(validUpdate, fc.nat(), fc.nat(2), fc.nat())
  .chain(([update, pick, mode, pickRequired]) => {
    const remove = mode === 0;
    const kind = Object.keys(update).find((k) => k !== 'update_id')!;
    const rulesKind = ['edited_message', 'channel_post', 'edited_channel_post'].includes(kind) ? 'message' : kind;
    const checked = CHECKED[rulesKind];
    const required = REQUIRED[rulesKind];
    if (remove) {
      const path = required[pickRequired % required.length];
      return fc.constant(JSON.parse(JSON.stringify(update, (_k, v) => v)) as Json).map((copy) => {
        deletePath(copy[kind] as Json, path);
        return copy;
      });
    }
    const [path, type] = checked[pick % checked.length];
    const idField = ['message_id', 'message_thread_id'].includes(String(path[path.length - 1]));
    return (idField ? fc.oneof(wrongValue(type), outOfRangeMessageId) : wrongValue(type)).map((value) => {
      const copy = JSON.parse(JSON.stringify(update)) as Json;
      setPath(copy[kind] as Json, path, value);
      return copy;
    });
  });

/** A body that is a valid update's JSON cut short (never complete, so never valid JSON). */
export const truncatedJson: fc.Arbitrary<string> = fc
  .tuple(validUpdate, fc.double({ min: 0, max: 0.999, noNaN: true }))
  .map(([update, share]) => {
    const json = JSON.stringify(update);
    return json.slice(0, Math.floor(json.length * share));
  });

/** An update whose `update_id` is missing, negative, fractional, a string or too large. */
export const badUpdateId: fc.Arbitrary<Json> = fc
  .tuple(validUpdate, fc.oneof(fc.constant(undefined), fc.integer({ max: -1 }), fc.double({ noInteger: true, noNaN: true, noDefaultInfinity: true }), fc.string(), fc.constant(2 ** 60), fc.constant(null)))
  .map(([update, updateId]) => ({ ...update, update_id: updateId }));

/** JSON that is not an object: arrays, strings, numbers, booleans, null. */
export const notAnObject: fc.Arbitrary<string> = fc
  .jsonValue({ maxDepth: 2 })
  .filter((v) => v === null || typeof v !== 'object' || Array.isArray(v))
  .map((v) => JSON.stringify(v));

/** An object with a valid update_id but only kinds Kraken does not subscribe to. */
export const unknownKind: fc.Arbitrary<Json> = fc
  .tuple(fc.integer({ min: 1, max: 2 ** 31 }), fc.stringMatching(/^[a-z_]{3,20}$/), fc.jsonValue({ maxDepth: 2 }))
  .filter(([, kind]) => !['message', 'edited_message', 'channel_post', 'edited_channel_post', 'chat_member', 'my_chat_member', 'message_reaction', 'message_reaction_count', 'callback_query', 'update_id'].includes(kind))
  .map(([updateId, kind, payload]) => ({ update_id: updateId, [kind]: payload }));

/** Random bytes (mostly not JSON). */
export const garbage: fc.Arbitrary<Buffer> = fc.uint8Array({ minLength: 1, maxLength: 200 }).map((bytes) => Buffer.from(bytes));
