import { ChatHarness } from './chat-harness';

const anna = { id: 1001, first_name: 'Anna' };

describe('no LLM key configured', () => {
  const h = new ChatHarness();
  beforeAll(() => h.start({ providers: 0 }));
  afterAll(() => h.stop());

  it('answers "LLM is not configured" once per chat per hour, and nothing else', async () => {
    const chat = { id: -5001 };
    const first = await h.send(chat, anna, 'Кракен, привет');
    const [notice] = await h.waitForReplies(chat.id, first.message_id);
    expect(notice.params.text).toMatch(/^Я пока не подключён к языковой модели/);
    const second = await h.send(chat, anna, 'Кракен, ну ответь');
    const elsewhere = await h.send({ id: anna.id }, anna, 'привет');
    await h.waitForReplies(anna.id, elsewhere.message_id);
    await h.idle();
    expect(h.repliesTo(chat.id, second.message_id)).toHaveLength(0);
    expect(h.emulator.calls('sendMessage').filter((c) => c.response.status === 200)).toHaveLength(2);
  });
});
