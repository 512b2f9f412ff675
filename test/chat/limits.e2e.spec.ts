import { Logger } from '@nestjs/common';
import { ChatHarness } from './chat-harness';

const anna = { id: 601, first_name: 'Anna' };
const boris = { id: 602, first_name: 'Boris' };
const carl = { id: 603, first_name: 'Carl', language_code: 'en' };
const dina = { id: 604, first_name: 'Dina', language_code: 'ru' };

const text = (call: { params: Record<string, unknown> }) => String(call.params.text);

describe('flood protection: cooldown, per-user limits (group and private), answers per chat per hour', () => {
  const h = new ChatHarness();
  const logged: unknown[][] = [];
  beforeAll(async () => {
    await h.start({
      env: {
        CHAT_QUESTION_POLICY: 'all',
        CHAT_QUESTION_COOLDOWN_SECONDS: '30',
        CHAT_USER_LIMIT: '2',
        CHAT_USER_WINDOW_SECONDS: '60',
        CHAT_PRIVATE_USER_LIMIT: '4',
        CHAT_ANSWERS_PER_HOUR: '5',
      },
    });
    // Observes (and still runs) Nest's logger: which ignored triggers were logged, and how.
    const log = Logger.prototype.log;
    jest.spyOn(Logger.prototype, 'log').mockImplementation(function (this: Logger, ...args: unknown[]) {
      logged.push(args);
      return (log as (...a: unknown[]) => void).apply(this, args);
    });
  });
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

  it('answers a user at most CHAT_USER_LIMIT times per window, tells them once in their language, logs the rest', async () => {
    const chat = { id: -2002 };
    const requestsBefore = h.llm().requests.length;
    const asks = [];
    for (let i = 0; i < 4; i++) asks.push(await h.send(chat, carl, `Кракен, вопрос номер ${i}`));
    const dinas = [];
    for (let i = 0; i < 3; i++) dinas.push(await h.send(chat, dina, `Кракен, секретный вопрос ${i}`));
    await h.waitForReplies(chat.id, dinas[1].message_id);
    await h.idle();
    expect(asks.map((m) => h.repliesTo(chat.id, m.message_id).length)).toEqual([1, 1, 1, 0]);
    expect(text(h.repliesTo(chat.id, asks[2].message_id)[0])).toBe('Too many questions in a row. My next answer comes in about 1 min.');
    expect(text(h.repliesTo(chat.id, dinas[2].message_id)[0])).toBe('Слишком много вопросов подряд. Следующий ответ — примерно через 1 мин.');
    expect(h.llm().requests.length - requestsBefore).toBe(4); // two answers each; notices never ask the LLM

    const ignored = logged.filter(([, message]) => message === 'trigger ignored').map(([fields]) => fields as Record<string, unknown>);
    expect(ignored).toEqual(
      expect.arrayContaining([
        { chatId: chat.id, userId: carl.id, messageId: asks[2].message_id, trigger: 'name', reason: 'user limit' },
        { chatId: chat.id, userId: carl.id, messageId: asks[3].message_id, trigger: 'name', reason: 'user limit' },
      ]),
    );
    expect(JSON.stringify(logged)).not.toContain('вопрос номер');
  });

  it('gives private chats their own, looser limit', async () => {
    const asks = [];
    for (let i = 0; i < 6; i++) asks.push(await h.send({ id: anna.id }, anna, `личный вопрос ${i}`));
    await h.waitForReplies(anna.id, asks[4].message_id);
    await h.idle();
    expect(asks.map((m) => h.repliesTo(anna.id, m.message_id).length)).toEqual([1, 1, 1, 1, 1, 0]);
    expect(text(h.repliesTo(anna.id, asks[4].message_id)[0])).toContain('Слишком много вопросов подряд');
  });

  it('answers at most CHAT_ANSWERS_PER_HOUR triggers per chat, whoever asks, and says so once', async () => {
    const chat = { id: -2003 };
    const asks = [];
    for (let i = 0; i < 7; i++) asks.push(await h.send(chat, { id: 700 + i, first_name: `Asker${i}` }, `Кракен, расскажи что-нибудь ${i}`));
    await h.waitForReplies(chat.id, asks[5].message_id);
    await h.idle();
    expect(asks.map((m) => h.repliesTo(chat.id, m.message_id).length)).toEqual([1, 1, 1, 1, 1, 1, 0]);
    expect(text(h.repliesTo(chat.id, asks[5].message_id)[0])).toMatch(/^В этом чате сейчас слишком много вопросов ко мне\. Следующий ответ — примерно через 60 мин\.$/);
  });

  it('refuses a non-admin’s commands once per window, then stays silent; admins are still answered', async () => {
    const chat = { id: -2004 };
    h.emulator.setChat(chat.id, { members: { [anna.id]: { status: 'administrator', user: { ...anna, is_bot: false } } } });
    const tries = [await h.send(chat, boris, '/usage'), await h.send(chat, boris, '/usage'), await h.send(chat, boris, '/policy off'), await h.send(chat, boris, '/usage')];
    const admin = await h.send(chat, anna, '/policy');
    await h.waitForReplies(chat.id, admin.message_id);
    await h.idle();
    // The llm-worker runs one user's command jobs concurrently, so which try claims the window's one
    // refusal is not fixed: exactly one of them is refused, the others get nothing.
    expect(tries.flatMap((m) => h.repliesTo(chat.id, m.message_id).map(text))).toEqual(['Эта команда только для администраторов чата.']);
  });
});
