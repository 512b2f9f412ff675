import { ChatHarness } from './chat-harness';

const member = { id: 1601, first_name: 'Member' };
const stranger = { id: 1602, first_name: 'Stranger', language_code: 'en' };

/**
 * Issue 8, item 5: ALLOWED_CHAT_IDS. Listed groups are answered; other groups are not (their triggers
 * are only logged); private chats only for users who wrote in a listed group (ALLOWED_PRIVATE_CHATS=members),
 * others are told once per window.
 */
describe('allow-list of chats', () => {
  const h = new ChatHarness();
  beforeAll(() => h.start({ env: { ALLOWED_CHAT_IDS: '-8001', CHAT_REFUSAL_WINDOW_SECONDS: '600' } }));
  afterAll(() => h.stop());

  it('answers in listed groups only', async () => {
    const allowed = await h.send({ id: -8001 }, member, 'Кракен, привет из нашего чата');
    const other = await h.send({ id: -8002 }, stranger, 'Кракен, а здесь ответишь?');
    await h.waitForReplies(-8001, allowed.message_id);
    await h.idle();
    expect(h.repliesTo(-8002, other.message_id)).toHaveLength(0);
    expect(h.llm().requests).toHaveLength(1);
  });

  it('answers members of listed groups in private; tells others once, then stays silent', async () => {
    const fromMember = await h.send({ id: member.id }, member, 'привет, это я из чата');
    const first = await h.send({ id: stranger.id }, stranger, 'hello?');
    const second = await h.send({ id: stranger.id }, stranger, 'hello again?');
    await h.waitForReplies(member.id, fromMember.message_id);
    await h.idle();
    expect(h.repliesTo(stranger.id, first.message_id).map((c) => c.params.text)).toEqual(['In private chats I only answer members of the community.']);
    expect(h.repliesTo(stranger.id, second.message_id)).toHaveLength(0);
    expect(h.llm().requests).toHaveLength(2);
  });
});
