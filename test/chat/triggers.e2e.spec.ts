import { ChatHarness, BOT_USERNAME } from './chat-harness';

const anna = { id: 501, first_name: 'Anna' };
const boris = { id: 502, first_name: 'Boris' };

describe('chat triggers (gateway decides, llm-worker answers)', () => {
  const h = new ChatHarness();
  beforeAll(() => h.start({ env: { CHAT_QUESTION_POLICY: 'all', CHAT_MIN_QUESTION_LENGTH: '12' } }));
  afterAll(() => h.stop());

  it('answers each trigger form', async () => {
    const chat = { id: -1001 };
    const named = [
      await h.send(chat, anna, 'Кракен, что нового?'),
      await h.send(chat, anna, 'кракен: расскажи анекдот'),
      await h.send(chat, anna, 'КРАКЕН как дела'),
      await h.send(chat, anna, `эй @${BOT_USERNAME.toLowerCase()} глянь`, { entities: [{ type: 'mention', offset: 3, length: BOT_USERNAME.length + 1 }] }),
      await h.send(chat, boris, 'Кто-нибудь знает, где встреча?'),
    ];
    for (const m of named) await h.waitForReplies(chat.id, m.message_id);
    const [reply] = h.repliesTo(chat.id, named[0].message_id);
    const botMessage = h.botMessage(reply);
    const followUp = await h.send(chat, anna, 'а подробнее', { reply_to_message: botMessage });
    await h.waitForReplies(chat.id, followUp.message_id);
    const inPrivate = await h.send({ id: anna.id }, anna, 'привет');
    await h.waitForReplies(anna.id, inPrivate.message_id);
    expect(h.emulator.calls('sendChatAction').length).toBeGreaterThanOrEqual(7);
  });

  it('does not answer non-triggers', async () => {
    const chat = { id: -1002 };
    const question = await h.send(chat, anna, 'Кто идёт вечером в кино?');
    const silent = [
      await h.send(chat, boris, 'Я иду, а ты?', { reply_to_message: question }),
      await h.send(chat, anna, 'Кракенский флот вышел в море'),
      await h.send(chat, anna, 'Привет, Кракен'),
      await h.send(chat, anna, 'Кто?'),
      await h.send(chat, anna, 'обычное сообщение'),
      await h.send(chat, { id: 999, first_name: 'OtherBot', is_bot: true }, 'Кракен, ответь боту?'),
      await h.send(chat, anna, '/usage@OtherBot'),
    ];
    await h.waitForReplies(chat.id, question.message_id);
    await h.idle();
    for (const m of silent) expect(h.repliesTo(chat.id, m.message_id)).toHaveLength(0);
  });

  it('quiet policy (set by an admin with /policy): answers only when no human replied in time', async () => {
    const chat = { id: -1003 };
    h.emulator.setChat(chat.id, {
      administrators: [
        { status: 'creator', user: { id: 1, is_bot: false, first_name: 'Owner' }, is_anonymous: false },
        { status: 'administrator', user: { ...anna, is_bot: false } },
      ],
    });
    const refused = await h.send(chat, boris, '/policy off');
    const [notAdmin] = await h.waitForReplies(chat.id, refused.message_id);
    expect(notAdmin.params.text).toBe('Эта команда только для администраторов чата.');
    const command = await h.send(chat, anna, `/policy@${BOT_USERNAME} quiet`);
    const [done] = await h.waitForReplies(chat.id, command.message_id);
    expect(done.params.text).toContain('отвечать, если никто не ответил');

    const askedAt = Date.now();
    const answeredByHuman = await h.send(chat, anna, 'Кто знает, во сколько встреча?');
    const unanswered = await h.send(chat, boris, 'Где взять пропуск на завтра?');
    await h.send(chat, boris, 'В семь', { reply_to_message: answeredByHuman });
    await h.waitForReplies(chat.id, unanswered.message_id, 1, 5000);
    expect(Date.now() - askedAt).toBeGreaterThanOrEqual(1000); // CHAT_QUIET_SECONDS=1
    await h.idle();
    expect(h.repliesTo(chat.id, answeredByHuman.message_id)).toHaveLength(0);

    const off = await h.send(chat, anna, '/policy off');
    await h.waitForReplies(chat.id, off.message_id);
    const ignored = await h.send(chat, boris, 'А кто принесёт проектор?');
    await h.idle();
    expect(h.repliesTo(chat.id, ignored.message_id)).toHaveLength(0);
  });

  it('/usage shows this month per model and top users, for admins only', async () => {
    const chat = { id: -1001 };
    const usage = await h.send(chat, { id: 1, first_name: 'Owner' }, '/usage');
    const [report] = await h.waitForReplies(chat.id, usage.message_id);
    expect(report.params.parse_mode).toBe('HTML');
    expect(report.params.text).toContain(`Расход LLM за ${['январь', 'февраль', 'март', 'апрель', 'май', 'июнь', 'июль', 'август', 'сентябрь', 'октябрь', 'ноябрь', 'декабрь'][new Date(Date.now() + 3 * 3600_000).getUTCMonth()]} `);
    expect(report.params.text).toMatch(/<code>gpt-4o-mini<\/code>: 6 запросов \(из кэша: \d+\), токены: вопросы [\d\u00a0]+ \+ ответы [\d\u00a0]+, \$/);
    expect(report.params.text).toContain('Токены вопроса — всё, что я отправил модели');
    expect(report.params.text).toMatch(/1\. (id 501|Anna): 5 запросов, \$/);
    const denied = await h.send(chat, boris, '/usage');
    const [answer] = await h.waitForReplies(chat.id, denied.message_id);
    expect(answer.params.text).toBe('Эта команда только для администраторов чата.');
  });

  it('/policy with an unknown value says so and lists the values (issue 9)', async () => {
    const chat = { id: -1004 };
    const command = await h.send(chat, { id: 1, first_name: 'Owner' }, '/policy всегда');
    const [answer] = await h.waitForReplies(chat.id, command.message_id);
    expect(answer.params.text).toBe(
      'Не знаю такого значения: «всегда». Можно: off — не отвечать; all — отвечать на все; quiet — отвечать, если никто не ответил.\nСейчас: отвечать на все.',
    );
  });

  it('reads a command in a caption, in any case, addressed to Kraken or to no bot; not one for another bot', async () => {
    const chat = { id: -1005 };
    const photo = { text: undefined, photo: [{ file_id: 'p', file_unique_id: 'up', width: 90, height: 90 }] };
    const owner = { id: 1, first_name: 'Owner' };
    const captioned = await h.send(chat, owner, '', { ...photo, caption: `/POLICY@${BOT_USERNAME} всегда`, caption_entities: [{ type: 'bot_command', offset: 0, length: 8 + BOT_USERNAME.length }] });
    const [answer] = await h.waitForReplies(chat.id, captioned.message_id);
    expect(answer.params.text).toMatch(/^Не знаю такого значения: «всегда»/);
    const other = await h.send(chat, owner, '', { ...photo, caption: '/policy@OtherBot всегда' });
    await h.idle();
    expect(h.repliesTo(chat.id, other.message_id)).toHaveLength(0);
  });
});
