import { botMembershipNotices, type BotChatMember, type BotMembershipChange } from './bot-membership';

const change = (type: string, before: BotChatMember, after: BotChatMember): BotMembershipChange => ({
  chat: { id: -100, type, title: 'T' },
  from: { id: 1, first_name: 'Admin' },
  date: 1,
  old_chat_member: before,
  new_chat_member: after,
});
const left = { status: 'left' };
const member = { status: 'member' };
const admin = { status: 'administrator' };
const muted = { status: 'restricted', is_member: true, can_send_messages: false };

describe('what Kraken says when its own membership changes (issue 9)', () => {
  it.each([
    ['added with privacy mode on', 'supergroup', left, member, false, ['hello', 'cannot-see']],
    ['added with privacy mode off', 'supergroup', left, member, true, ['hello']],
    ['added as an admin', 'group', left, admin, false, ['hello']],
    ['promoted to admin', 'supergroup', member, admin, false, []],
    ['demoted from admin with privacy mode on', 'supergroup', admin, member, false, ['cannot-see']],
    ['added but not allowed to write', 'supergroup', left, muted, false, ['cannot-write']],
    ['allowed to write again, privacy mode on', 'supergroup', muted, member, false, ['cannot-see']],
    ['removed', 'supergroup', member, left, false, []],
    ['channel admin without the right to post', 'channel', left, { status: 'administrator', can_post_messages: false }, false, ['cannot-post']],
    ['channel admin who may post', 'channel', left, { status: 'administrator', can_post_messages: true }, false, []],
    ['a private chat (the user blocked or started the bot)', 'private', member, { status: 'kicked' }, false, []],
  ] as const)('%s', (_name, type, before, after, canReadAll, expected) => {
    expect(botMembershipNotices(change(type, before, after), canReadAll)).toEqual(expected);
  });
});
