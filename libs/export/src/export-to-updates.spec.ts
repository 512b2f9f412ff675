import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Update } from 'telegraf/types';
import {
  CHANNEL_BOT,
  GROUP_ANONYMOUS_BOT,
  exportChatToUpdates,
  parseExport,
  readExportFile,
  syntheticDeletedUserId,
  syntheticUserIdFromName,
  type ExportChat,
  type SkippedExportMessage,
} from '@kraken/export';

const FIXTURES = join(__dirname, '../../../test/fixtures');
const EXPORT_PATH = join(FIXTURES, 'impact-group/result.json');
const CHAT_ID = -1002482670091;

// ---- A small checker of objects against the Bot API spec (api.json, Bot API 10.1) ----------------

interface SpecField {
  name: string;
  types: string[];
  required: boolean;
}
interface SpecType {
  fields?: SpecField[];
  subtypes?: string[];
}
const spec: { types: Record<string, SpecType> } = JSON.parse(readFileSync(join(FIXTURES, 'telegram-bot-api/api.json'), 'utf8'));

/**
 * Problems of `value` as a Bot API `typeName`: required fields missing, unknown field names, wrong
 * primitive types; recurses into nested types and arrays; a union type passes when one subtype does.
 */
function specProblems(typeName: string, value: unknown, path: string): string[] {
  if (typeName.startsWith('Array of ')) {
    if (!Array.isArray(value)) return [`${path}: expected ${typeName}`];
    return value.flatMap((item, i) => specProblems(typeName.slice('Array of '.length), item, `${path}[${i}]`));
  }
  switch (typeName) {
    case 'Integer':
      return Number.isSafeInteger(value) ? [] : [`${path}: expected Integer, got ${JSON.stringify(value)}`];
    case 'Float':
      return typeof value === 'number' ? [] : [`${path}: expected Float`];
    case 'String':
      return typeof value === 'string' ? [] : [`${path}: expected String`];
    case 'Boolean':
      return typeof value === 'boolean' ? [] : [`${path}: expected Boolean`];
    case 'True':
      return value === true ? [] : [`${path}: expected True`];
  }
  const type = spec.types[typeName];
  if (!type) return [`${path}: unknown spec type ${typeName}`];
  if (type.subtypes) {
    const attempts = type.subtypes.map((sub) => specProblems(sub, value, path));
    return attempts.some((p) => p.length === 0) ? [] : [`${path}: matches no subtype of ${typeName} (${attempts.map((p) => p[0]).join(' | ')})`];
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return [`${path}: expected ${typeName} object`];
  const record = value as Record<string, unknown>;
  const fields = new Map((type.fields ?? []).map((f) => [f.name, f]));
  const problems: string[] = [];
  for (const field of fields.values()) {
    if (field.required && !(field.name in record)) problems.push(`${path}.${field.name}: required by ${typeName}`);
  }
  for (const [key, fieldValue] of Object.entries(record)) {
    const field = fields.get(key);
    if (!field) {
      problems.push(`${path}.${key}: not a field of ${typeName}`);
      continue;
    }
    const attempts = field.types.map((t) => specProblems(t, fieldValue, `${path}.${key}`));
    if (!attempts.some((p) => p.length === 0)) problems.push(...attempts[0]);
  }
  return problems;
}

// ---- Helpers --------------------------------------------------------------------------------------

type AnyMessage = Record<string, any> & { message_id: number };
const kindOf = (u: Update) => Object.keys(u).find((k) => k !== 'update_id')!;
const messagesOf = (updates: Update[]): AnyMessage[] =>
  updates.filter((u) => 'message' in u).map((u) => (u as unknown as { message: AnyMessage }).message);
const miniChat = (type: string, messages: unknown[], id = 777): ExportChat =>
  parseExport({ name: 'Mini', type, id, messages })[0];
const msg = (id: number, extra: Record<string, unknown> = {}) => ({
  id,
  type: 'message',
  date_unixtime: String(1_700_000_000 + id),
  from: 'Alice',
  from_id: 'user11',
  text: `m${id}`,
  text_entities: [{ type: 'plain', text: `m${id}` }],
  ...extra,
});

// ---- Tests ----------------------------------------------------------------------------------------

describe('exportChatToUpdates on the real export', () => {
  const [chat] = readExportFile(EXPORT_PATH);
  const skipped: SkippedExportMessage[] = [];
  const updates = exportChatToUpdates(chat, { onSkip: (s) => skipped.push(s) });
  const messages = messagesOf(updates);
  const byId = new Map(messages.map((m) => [m.message_id, m]));

  it('turns 1,250 export entries into 1,917 updates', () => {
    // 1,250 entries − 3 without a Bot API counterpart (2 basic-group entries with ids ≤ 0:
    // create_group and migrate_to_supergroup; migrate_from_group, whose basic-group id is not
    // exported) = 1,247 `message` updates; + 342 `edited_message` (entries with edited_unixtime)
    // + 328 `message_reaction_count` (entries with reactions) = 1,917.
    const counts: Record<string, number> = {};
    for (const u of updates) counts[kindOf(u)] = (counts[kindOf(u)] ?? 0) + 1;
    expect(counts).toEqual({ message: 1247, edited_message: 342, message_reaction_count: 328 });
    expect(updates).toHaveLength(1917);
    expect(skipped.map((s) => s.messageId)).toEqual([-999999939, -999999938, 1]);
    expect(updates.map((u) => u.update_id)).toEqual(updates.map((_, i) => i + 1));
  });

  it('orders message, edit, reaction counts per entry, with an edit_date and date + 1 s', () => {
    const forFour = updates.filter((u) => JSON.stringify(u).includes('"message_id":4,')).slice(0, 3);
    expect(forFour.map(kindOf)).toEqual(['message', 'edited_message', 'message_reaction_count']);
    const [, edited, reactions] = forFour as any[];
    expect(edited.edited_message).toMatchObject({ message_id: 4, date: 1726922850, edit_date: 1726924557 });
    expect(reactions.message_reaction_count).toEqual({
      chat: { id: CHAT_ID, type: 'supergroup', title: 'ENSIA IMPACT © Group', is_forum: true },
      message_id: 4,
      date: 1726924558,
      reactions: [
        { type: { type: 'emoji', emoji: '❤' }, total_count: 55 },
        { type: { type: 'emoji', emoji: '👍' }, total_count: 2 },
        { type: { type: 'emoji', emoji: '🔥' }, total_count: 1 },
      ],
    });
  });

  it('marks the chat as a forum supergroup with the -100 id', () => {
    expect(messages.every((m) => m.chat.id === CHAT_ID && m.chat.type === 'supergroup' && m.chat.is_forum === true)).toBe(true);
  });

  it('puts topic messages in their topic without making them replies to a person', () => {
    const roots = messages.filter((m) => m.forum_topic_created);
    expect(roots).toHaveLength(18);
    for (const root of roots) expect(root).toMatchObject({ message_thread_id: root.message_id, is_topic_message: true });

    const inTopic = messages.filter((m) => m.reply_to_message?.forum_topic_created);
    expect(inTopic).toHaveLength(349);
    for (const m of inTopic) {
      expect(m.message_thread_id).toBe(m.reply_to_message.message_id);
      expect(m.is_topic_message).toBe(true);
    }

    const realReplies = messages.filter((m) => m.reply_to_message && !m.reply_to_message.forum_topic_created);
    expect(realReplies).toHaveLength(58);
    for (const m of realReplies) {
      const target = byId.get(m.reply_to_message.message_id)!;
      expect(m.message_thread_id).toBe(target.message_thread_id); // same topic as what it answers
      expect(m.is_topic_message).toBe(true);
      expect(m.reply_to_message).not.toHaveProperty('reply_to_message');
    }
    const first = byId.get(365)!;
    expect(first.reply_to_message.message_id).toBe(363);

    // Everything else (joins, General-topic messages) has no thread.
    const threaded = messages.filter((m) => m.message_thread_id !== undefined);
    expect(threaded).toHaveLength(18 + 349 + 58);
  });

  it('sends anonymous-admin posts (channel<chat id>) as sender_chat + GroupAnonymousBot', () => {
    const anonymous = messages.filter((m) => m.sender_chat);
    // 267 messages from channel2482670091 + 4 service entries with it as actor (5, less the
    // skipped migrate_from_group).
    expect(anonymous).toHaveLength(267 + 4);
    for (const m of anonymous) {
      expect(m.from).toEqual(GROUP_ANONYMOUS_BOT);
      expect(m.sender_chat).toMatchObject({ id: CHAT_ID, type: 'supergroup', title: 'ENSIA IMPACT © Group' });
    }
  });

  it('turns joins and invites into new_chat_members', () => {
    const joins = messages.filter((m) => m.new_chat_members);
    expect(joins).toHaveLength(547 + 268);
    const byLink = byId.get(5)!; // actor null: a deleted account that joined by link
    expect(byLink.new_chat_members).toEqual([{ id: 7024251777, is_bot: false, first_name: 'Deleted Account' }]);
    expect(byLink.from).toEqual(byLink.new_chat_members[0]);

    const invited = byId.get(229)!; // Member 001 added Member 217 (no id in the export)
    expect(invited.from).toMatchObject({ id: 6861348977, first_name: 'Member 001' });
    expect(invited.new_chat_members).toHaveLength(1);
    expect(invited.new_chat_members[0].first_name).toBe('Member 217');
    const nullName = byId.get(91)!;
    expect(nullName.new_chat_members).toEqual([
      { id: syntheticDeletedUserId(91, 0), is_bot: false, first_name: 'Deleted Account' },
    ]);
  });

  it('maps media, forwards, pins and topic edits', () => {
    expect(byId.get(318)!.document).toMatchObject({ file_name: 'Research-Lab-Reports-IMRAD.pdf', mime_type: 'application/pdf', file_size: 223671 });
    const photo = byId.get(1152)!;
    expect(photo.photo.at(-1)).toMatchObject({ width: 857, height: 1280, file_size: 126313 });
    expect(photo.caption).toMatch(/^El Kendi is looking for Data Talents! 💡/);
    expect(photo.caption_entities[0].type).toBe('url');
    expect(photo.text).toBeUndefined();
    expect(byId.get(1386)!.sticker).toMatchObject({ type: 'regular', emoji: '💎', width: 512, height: 512, is_animated: false, is_video: false });
    expect(byId.get(980)!.forward_origin).toEqual({
      type: 'user',
      date: 1749556053,
      sender_user: { id: 7956673759, is_bot: false, first_name: 'Member 176' },
    });
    expect(byId.get(895)!.pinned_message).toMatchObject({ message_id: 771, text: expect.any(String) });
    expect(byId.get(895)!.pinned_message).not.toHaveProperty('reply_to_message');
    expect(byId.get(245)!.forum_topic_edited).toEqual({ name: 'Scientific Research', icon_custom_emoji_id: '' });
    expect(byId.get(249)!.new_chat_title).toBe('ENSIA IMPACT © Group');
    expect(byId.get(2)!.new_chat_photo.at(-1)).toMatchObject({ width: 640, height: 640, file_size: 58688 });
  });

  it('is deterministic', () => {
    expect(JSON.stringify(exportChatToUpdates(chat))).toBe(JSON.stringify(updates));
  });

  it('has a spec checker that catches missing, misnamed and mistyped fields', () => {
    const bad = {
      update_id: 1,
      message: {
        message_id: 1,
        date: 1,
        chat: { id: 1, type: 'private' },
        form: { id: 2 },
        sticker: { file_id: 'a', file_unique_id: 'b', type: 'regular', width: 1, height: 1, is_animated: false },
        reply_to_message: { message_id: 'x', date: 1, chat: { id: 1, type: 'private' } },
        pinned_message: { chat: { id: 1, type: 'private' }, message_id: 2 },
      },
    };
    expect(specProblems('Update', bad, 'u')).toEqual([
      'u.message.form: not a field of Message',
      'u.message.sticker.is_video: required by Sticker',
      'u.message.reply_to_message.message_id: expected Integer, got "x"',
      expect.stringMatching(/^u\.message\.pinned_message: matches no subtype of MaybeInaccessibleMessage/),
    ]);
  });

  it('produces only objects that satisfy the Bot API spec (api.json)', () => {
    const problems = updates.flatMap((u) => specProblems('Update', u, `update ${u.update_id}`));
    expect(problems.slice(0, 10)).toEqual([]);
  });
});

describe('exportChatToUpdates on small synthetic chats', () => {
  it('honours chatId and firstUpdateId', () => {
    const updates = exportChatToUpdates(miniChat('private_supergroup', [msg(1), msg(2)]), { chatId: -42, firstUpdateId: 1000 });
    expect(updates.map((u) => u.update_id)).toEqual([1000, 1001]);
    expect(messagesOf(updates)[0].chat).toEqual({ id: -42, type: 'supergroup', title: 'Mini' });
  });

  it('maps chat types and ids', () => {
    const chatOf = (type: string) => messagesOf(exportChatToUpdates(miniChat(type, [msg(1)])))[0]?.chat;
    expect(chatOf('personal_chat')).toEqual({ id: 777, type: 'private', first_name: 'Mini' });
    expect(chatOf('bot_chat')).toMatchObject({ id: 777, type: 'private' });
    expect(chatOf('private_group')).toEqual({ id: -777, type: 'group', title: 'Mini' });
    expect(chatOf('public_supergroup')).toEqual({ id: -1000000000777, type: 'supergroup', title: 'Mini' });
    expect(() => exportChatToUpdates(miniChat('replies', [msg(1)]))).toThrow(/unsupported Telegram Desktop chat type "replies"/);
  });

  it('sends channel messages as channel_post / edited_channel_post without from', () => {
    const updates = exportChatToUpdates(
      miniChat('public_channel', [msg(1, { from: 'News', from_id: 'channel777', author: 'Ed', edited_unixtime: '1700000100' })]),
    );
    expect(updates.map(kindOf)).toEqual(['channel_post', 'edited_channel_post']);
    const post = (updates[0] as any).channel_post;
    expect(post).not.toHaveProperty('from');
    expect(post.sender_chat).toEqual({ id: -1000000000777, type: 'channel', title: 'Mini' });
    expect(post.author_signature).toBe('Ed');
    expect(specProblems('Update', updates[1], 'edit')).toEqual([]);
  });

  it('uses Channel_Bot and a channel sender_chat for another channel, and maps forward origins', () => {
    const updates = exportChatToUpdates(
      miniChat('private_supergroup', [
        msg(1, { from: 'Linked', from_id: 'channel555' }),
        msg(2, { forwarded_from: 'Some Channel', forwarded_from_id: 'channel9' }),
        msg(3, { forwarded_from: 'Hidden Person' }),
      ]),
    );
    const [fromChannel, fwdChannel, fwdHidden] = messagesOf(updates);
    expect(fromChannel.from).toEqual(CHANNEL_BOT);
    expect(fromChannel.sender_chat).toEqual({ id: -1000000000555, type: 'channel', title: 'Linked' });
    expect(fwdChannel.forward_origin).toEqual({
      type: 'channel',
      date: 1700000002,
      chat: { id: -1000000000009, type: 'channel', title: 'Some Channel' },
      message_id: 1,
    });
    expect(fwdHidden.forward_origin).toEqual({ type: 'hidden_user', date: 1700000003, sender_user_name: 'Hidden Person' });
    expect(updates.flatMap((u) => specProblems('Update', u, 'u'))).toEqual([]);
  });

  it('maps remove_members (left / removed), invite ids and replies in a non-forum group', () => {
    const service = (id: number, action: string, extra: Record<string, unknown>) => ({
      id,
      type: 'service',
      date_unixtime: String(1_700_000_000 + id),
      actor: 'Alice',
      actor_id: 'user11',
      action,
      text: '',
      text_entities: [],
      ...extra,
    });
    const updates = exportChatToUpdates(
      miniChat('private_supergroup', [
        msg(1),
        service(2, 'remove_members', { members: ['Alice'] }),
        service(3, 'remove_members', { members: ['Bob'] }),
        service(4, 'invite_members', { members: ['Carol', null] }),
        msg(5, { reply_to_message_id: 1 }),
        service(6, 'phone_call', {}),
      ]),
      { botId: 11 },
    );
    const byId = new Map(messagesOf(updates).map((m) => [m.message_id, m]));
    expect(byId.get(2)!.left_chat_member).toEqual({ id: 11, is_bot: true, first_name: 'Alice' });
    expect(byId.get(3)!.left_chat_member).toEqual({ id: syntheticUserIdFromName('Bob'), is_bot: false, first_name: 'Bob' });
    expect(byId.get(4)!.new_chat_members.map((u: { id: number }) => u.id)).toEqual([
      syntheticUserIdFromName('Carol'),
      syntheticDeletedUserId(4, 1),
    ]);
    expect(byId.get(5)!.reply_to_message).toMatchObject({ message_id: 1, text: 'm1' });
    expect(byId.get(5)).not.toHaveProperty('message_thread_id');
    expect(byId.has(6)).toBe(false);
    expect(syntheticUserIdFromName('Bob')).toBeGreaterThanOrEqual(7e12);
    expect(syntheticUserIdFromName('Bob')).toBeLessThan(8e12);
  });

  it('keeps a reply in the General topic of a forum without a thread', () => {
    const updates = exportChatToUpdates(
      miniChat('private_supergroup', [
        { id: 1, type: 'service', date_unixtime: '1700000001', actor: 'A', actor_id: 'user11', action: 'topic_created', title: 'T' },
        msg(2),
        msg(3, { reply_to_message_id: 2 }),
        msg(4, { reply_to_message_id: 1 }),
        msg(5, { reply_to_message_id: 4 }),
      ]),
    );
    const byId = new Map(messagesOf(updates).map((m) => [m.message_id, m]));
    expect(byId.get(3)).toMatchObject({ reply_to_message: { message_id: 2 } });
    expect(byId.get(3)).not.toHaveProperty('message_thread_id');
    expect(byId.get(4)).toMatchObject({ message_thread_id: 1, is_topic_message: true, reply_to_message: { message_id: 1 } });
    expect(byId.get(5)).toMatchObject({ message_thread_id: 1, is_topic_message: true, reply_to_message: { message_id: 4 } });
    expect(byId.get(5)!.reply_to_message).not.toHaveProperty('reply_to_message');
  });
});
