import { ChatHarness } from './chat-harness';

const anna = { id: 601, first_name: 'Anna' };
const boris = { id: 602, first_name: 'Boris' };
const carl = { id: 603, first_name: 'Carl' };

describe('flood protection: per-chat question cooldown and per-user limit', () => {
  const h = new ChatHarness();
  beforeAll(() =>
    h.start({ env: { CHAT_QUESTION_POLICY: 'all', CHAT_QUESTION_COOLDOWN_SECONDS: '30', CHAT_USER_LIMIT: '2', CHAT_USER_WINDOW_SECONDS: '60' } }),
  );
  afterAll(() => h.stop());

  it('answers one unaddressed question per cooldown; explicit triggers are not held by it', async () => {
    const chat = { id: -2001 };
    const first = await h.send(chat, anna, 'Кто-нибудь знает адрес офиса?');
    const second = await h.send(chat, boris, 'А во сколько открывается офис?');
    const addressed = await h.send(chat, boris, 'Кракен, во сколько открывается офис?');
    await h.waitForReplies(chat.id, first.message_id);
    await h.waitForReplies(chat.id, addressed.message_id);
    await h.idle();
    expect(h.repliesTo(chat.id, second.message_id)).toHaveLength(0);
  });

  it('answers a user at most CHAT_USER_LIMIT times per window; others still get answers', async () => {
    const chat = { id: -2002 };
    const asks = [];
    for (let i = 0; i < 4; i++) asks.push(await h.send(chat, carl, `Кракен, вопрос номер ${i}`));
    const other = await h.send(chat, anna, 'Кракен, а мне ответишь?');
    await h.waitForReplies(chat.id, other.message_id);
    await h.idle();
    expect(asks.map((m) => h.repliesTo(chat.id, m.message_id).length)).toEqual([1, 1, 0, 0]);
  });
});
