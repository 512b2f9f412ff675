import { ChatHarness } from './chat-harness';

const owner = { id: 1, first_name: 'Owner' };
const anna = { id: 601, first_name: 'Anna' };
const boris = { id: 602, first_name: 'Boris' };
const ADMINS_ONLY = 'Эта команда только для администраторов чата.';

const creator = (user: { id: number; first_name: string }) => ({ status: 'creator', user: { ...user, is_bot: false }, is_anonymous: false });
const administrator = (user: { id: number; first_name: string }) => ({
  status: 'administrator',
  user: { ...user, is_bot: false },
  can_be_edited: true,
  is_anonymous: false,
  can_manage_chat: true,
  can_delete_messages: true,
  can_manage_video_chats: true,
  can_restrict_members: true,
  can_promote_members: false,
  can_change_info: true,
  can_invite_users: true,
  can_post_stories: false,
  can_edit_stories: false,
  can_delete_stories: false,
});
const member = (user: { id: number; first_name: string }) => ({ status: 'member', user: { ...user, is_bot: false } });

/**
 * Issue 8, item 11: /usage and /policy use the one cached admin check (getChatAdministrators through
 * the outbox, cached in Redis), and a `chat_member` update that changes an admin drops the chat's
 * cached list at once, so a demoted admin loses the commands and a promoted one gets them.
 */
describe('admin rights of chat commands', () => {
  const h = new ChatHarness();
  beforeAll(() => h.start());
  afterAll(() => h.stop());

  const chat = { id: -2001 };
  let updateId = 900_000;
  const adminCalls = () => h.emulator.calls((call) => ['getChatAdministrators', 'getChatMember'].includes(call.method) && Number(call.params.chat_id) === chat.id);
  const command = async (from: { id: number; first_name: string }, text: string): Promise<string> => {
    const message = await h.send(chat, from, text);
    const [reply] = await h.waitForReplies(chat.id, message.message_id);
    return String(reply.params.text);
  };
  const memberChange = (user: { id: number; first_name: string }, from: object, to: object) =>
    h.ingest({
      update_id: updateId++,
      chat_member: { chat: { id: chat.id, type: 'supergroup', title: 'Admins' }, from: { ...owner, is_bot: false }, date: Math.floor(Date.now() / 1000), old_chat_member: from, new_chat_member: to },
    });

  it('asks Telegram once for a burst of commands', async () => {
    h.emulator.setChat(chat.id, { administrators: [creator(owner), administrator(anna)] });
    expect(await command(anna, '/usage')).toMatch(/Расход LLM за [а-я]+ \d{4}/);
    expect(await command(anna, '/policy')).not.toBe(ADMINS_ONLY);
    expect(await command(boris, '/usage')).toBe(ADMINS_ONLY);
    expect(await command(owner, '/usage')).toMatch(/Расход LLM/);
    expect(adminCalls().map((call) => call.method)).toEqual(['getChatAdministrators']);
  });

  it('a member change that involves no admin keeps the cache', async () => {
    await memberChange({ id: 777, first_name: 'Guest' }, member({ id: 777, first_name: 'Guest' }), { status: 'left', user: { id: 777, is_bot: false, first_name: 'Guest' } });
    expect(await command(anna, '/usage')).toMatch(/Расход LLM/);
    expect(adminCalls()).toHaveLength(1);
  });

  it('a demotion and a promotion take effect at once', async () => {
    h.emulator.setChat(chat.id, { administrators: [creator(owner), administrator(boris)] });
    await memberChange(anna, administrator(anna), member(anna));
    await memberChange(boris, member(boris), administrator(boris));
    expect(await command(anna, '/usage')).toBe(ADMINS_ONLY);
    expect(await command(boris, '/usage')).toMatch(/Расход LLM/);
    expect(adminCalls()).toHaveLength(2);
  });
});
