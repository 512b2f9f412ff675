import { ChatHarness } from './chat-harness';

const anna = { id: 1401, first_name: 'Anna' };
const boris = { id: 1402, first_name: 'Boris' };
const carl = { id: 1403, first_name: 'Carl' };

/**
 * The `quiet` question policy: a delayed answer is cancelled by a human answer — a reply to the
 * question, or the next message in the same thread from someone else — and a cancelled answer gives
 * the chat's question cooldown back (issue 8 item 11, issue 9).
 */
describe('quiet policy: human answers cancel the delayed answer and give the cooldown back', () => {
  const h = new ChatHarness();
  beforeAll(() => h.start({ env: { CHAT_QUESTION_POLICY: 'quiet', CHAT_QUIET_SECONDS: '1', CHAT_QUESTION_COOLDOWN_SECONDS: '60' } }));
  afterAll(() => h.stop());

  it('a reply cancels the answer, and the next unanswered question is still answered', async () => {
    const chat = { id: -9101 };
    const answered = await h.send(chat, anna, 'Кто знает, во сколько встреча?');
    await h.send(chat, boris, 'В семь', { reply_to_message: answered });
    const unanswered = await h.send(chat, carl, 'Где взять пропуск на завтра?');
    await h.waitForReplies(chat.id, unanswered.message_id, 1, 10_000);
    await h.idle();
    expect(h.repliesTo(chat.id, answered.message_id)).toHaveLength(0);
  });

  it('the next message in the thread from someone else cancels the answer, and gives the cooldown back', async () => {
    const chat = { id: -9102 };
    const answered = await h.send(chat, anna, 'Подскажите, где взять зарядку для ноутбука?');
    await h.send(chat, anna, 'Очень надо'); // the asker's own follow-up is not an answer
    await h.send(chat, boris, 'У меня в рюкзаке есть, подходи');
    const next = await h.send(chat, carl, 'А кто сегодня закрывает офис?');
    await h.waitForReplies(chat.id, next.message_id, 1, 10_000);
    await h.idle();
    expect(h.repliesTo(chat.id, answered.message_id)).toHaveLength(0);
  });

  it('messages in another forum topic, or follow-up questions, do not cancel it', async () => {
    const chat = { id: -9103, is_forum: true };
    const inTopic = (thread: number) => ({ message_thread_id: thread, is_topic_message: true });
    const question = await h.send(chat, anna, 'Кто-нибудь видел мои ключи от склада?', inTopic(11));
    await h.send(chat, boris, 'Обсуждаем совсем другое', inTopic(12));
    await h.send(chat, carl, 'А какие ключи?', inTopic(11));
    await h.waitForReplies(chat.id, question.message_id, 1, 10_000);
  });
});
