import { FakeLlmServer, type RecordedCall } from '@kraken/testing';
import { Deployment, SECRET } from '../ops/support/deployment';
import { metricValue } from '../ops/support/prometheus';
import { postUpdate, runCli } from '../support/processes';

const BOT_USERNAME = 'KrakenFirstDayBot';
const ADMIN = { id: 4101, is_bot: false, first_name: 'Гоша' };
const MEMBER = { id: 4102, is_bot: false, first_name: 'Лена' };
const GROUP = { id: -1004100000001, type: 'supergroup', title: 'Клуб любителей кальмаров' };
const ADMIN_GROUP = { id: -1004100000002, type: 'supergroup', title: 'Модерация' };
const CHANNEL = { id: -1004100000003, type: 'channel', title: 'Кальмары: лучшее' };
const BOT_ID = 123456; // the Deployment's token is 123456:…

const bot = { id: BOT_ID, is_bot: true, first_name: 'Kraken', username: BOT_USERNAME };
const member = (status: string, rights: Record<string, unknown> = {}) => ({ user: bot, status, ...rights });

/**
 * Issue 9, an admin's first day, on the apps as processes (gateway, stats worker, llm-worker) with the
 * Bot API emulator — whose bot has privacy mode on (`can_read_all_group_messages: false`) — and a fake
 * OpenAI-compatible provider.
 */
describe('an admin’s first day: menus, /start, /help, the hello and its warnings, LLM metrics', () => {
  const llm = new FakeLlmServer();
  let deployment: Deployment;
  let llmHealthPort: number;
  let updateId = 1;
  let messageId = 100;

  const post = async (update: Record<string, unknown>) => {
    expect(await postUpdate(deployment.webhook, SECRET, { update_id: updateId++, ...update })).toBe(200);
  };
  const message = async (chat: Record<string, unknown>, from: Record<string, unknown>, text: string, extra: Record<string, unknown> = {}) => {
    const sent = { message_id: messageId++, date: Math.floor(Date.now() / 1000), chat, from, text, ...extra };
    await post({ message: sent });
    return sent;
  };
  const command = (chat: Record<string, unknown>, from: Record<string, unknown>, text: string) =>
    message(chat, from, text, { entities: [{ type: 'bot_command', offset: 0, length: text.split(' ')[0].length }] });
  const myChatMember = (chat: Record<string, unknown>, from: Record<string, unknown>, before: Record<string, unknown>, after: Record<string, unknown>) =>
    post({ my_chat_member: { chat, from, date: Math.floor(Date.now() / 1000), old_chat_member: before, new_chat_member: after } });
  const sentTo = (chatId: number) => (call: RecordedCall) => call.method === 'sendMessage' && Number(call.params.chat_id) === chatId && call.response.status === 200;
  const settle = async () => {
    await deployment.idle('outbox', 30_000);
    await deployment.idle('chat-answers', 30_000);
    await deployment.idle('outbox', 30_000);
  };

  beforeAll(async () => {
    await llm.start();
    deployment = await Deployment.start({
      emulator: { bot: { username: BOT_USERNAME, first_name: 'Kraken', can_read_all_group_messages: false } },
      env: {
        LLM_PROVIDERS: 'fake',
        LLM_FAKE_BASE_URL: llm.baseUrl,
        LLM_FAKE_API_KEY: 'sk-fake',
        OUTBOX_CHAT_PER_SECOND: '30',
        OUTBOX_GROUP_PER_MINUTE: '1000',
      },
    });
    llmHealthPort = (await deployment.startLlmWorker()).healthPort;
  });

  afterAll(async () => {
    await deployment?.stop();
    await llm.stop();
  });

  test('the command menus are set at start-up through the outbox, per scope and language', async () => {
    const calls = await deployment.emulator.waitFor((c) => c.method === 'setMyCommands' && c.response.status === 200, { count: 9, timeoutMs: 20_000 });
    const menus = new Map(calls.map((c) => [`${(c.params.scope as { type: string }).type}/${c.params.language_code ?? 'default'}`, c.params.commands as Array<{ command: string; description: string }>]));
    expect([...menus.keys()].sort()).toEqual(
      ['all_chat_administrators', 'all_group_chats', 'all_private_chats'].flatMap((scope) => ['default', 'en', 'ru'].map((lang) => `${scope}/${lang}`)).sort(),
    );
    const names = (key: string) => menus.get(key)!.map((c) => c.command);
    expect(names('all_private_chats/default')).toEqual(['start', 'help', 'usage']);
    expect(names('all_group_chats/default')).toEqual(['help', 'meme']);
    expect(names('all_chat_administrators/default')).toEqual(['help', 'meme', 'policy', 'usage', 'digest', 'reject']);
    expect(menus.get('all_group_chats/ru')).toEqual(menus.get('all_group_chats/default')); // BOT_LANGUAGE=ru
    expect(menus.get('all_group_chats/ru')![1].description).toBe('Предложить мем (ответом на фото, видео или GIF)');
    expect(menus.get('all_group_chats/en')![1].description).toBe('Submit a meme (as a reply to a photo, video or GIF)');
  });

  test('/start and /help in private, /help in a group: answered by Kraken, never by the LLM', async () => {
    const privateChat = { id: MEMBER.id, type: 'private', first_name: MEMBER.first_name };
    await command(privateChat, MEMBER, '/start');
    const [start] = await deployment.emulator.waitFor(sentTo(MEMBER.id), { timeoutMs: 15_000 });
    expect(start.params.parse_mode).toBe('HTML');
    expect(String(start.params.text)).toMatch(/^Привет! 🐙\n\nЯ Кракен, бот сообщества\. Что я умею:/);
    expect(String(start.params.text)).toContain(`@${BOT_USERNAME}`);
    expect(String(start.params.text)).toContain('/help — эта справка');

    await command(privateChat, MEMBER, '/help');
    const [, help] = await deployment.emulator.waitFor(sentTo(MEMBER.id), { count: 2, timeoutMs: 15_000 });
    expect(String(help.params.text)).toMatch(/^Я Кракен, бот сообщества\./);

    const asked = await command(GROUP, MEMBER, '/help');
    const [groupHelp] = await deployment.emulator.waitFor(sentTo(GROUP.id), { timeoutMs: 15_000 });
    expect(groupHelp.params.reply_parameters).toMatchObject({ message_id: asked.message_id });
    expect(String(groupHelp.params.text)).toMatch(/^Я Кракен, бот этого чата\./);
    expect(String(groupHelp.params.text)).toContain('ответь /meme или #мем на сообщение с фото, видео или GIF');
    expect(String(groupHelp.params.text)).toContain('/policy — когда я отвечаю на вопросы без обращения');

    await command(GROUP, MEMBER, `/help@${BOT_USERNAME}`);
    await command(GROUP, MEMBER, '/help@SomeOtherBot');
    await deployment.emulator.waitFor(sentTo(GROUP.id), { count: 2, timeoutMs: 15_000 });
    await settle();
    expect(deployment.emulator.calls(sentTo(GROUP.id))).toHaveLength(2);
    expect(deployment.emulator.calls(sentTo(MEMBER.id))).toHaveLength(2);
    expect(llm.requests).toHaveLength(0);
  });

  test('added to a group it says hello; with privacy mode on it warns the adder; an admin sees everything', async () => {
    await myChatMember(GROUP, ADMIN, member('left'), member('member'));
    const [hello] = await deployment.emulator.waitFor((c) => sentTo(GROUP.id)(c) && !c.params.reply_parameters, { timeoutMs: 15_000 });
    const [greeting, warning] = String(hello.params.text).split('\n\n');
    expect(greeting).toMatch(/^Привет! Я Кракен 🐙 Отвечаю, когда зовут \(«Кракен, …» или @KrakenFirstDayBot\)/);
    expect(warning).toBe(
      `⚠️ <a href="tg://user?id=${ADMIN.id}">Гоша</a>, я не вижу сообщений в этом чате: у меня включён режим приватности. ` +
        'Так я не считаю статистику и не слышу обращений — только команды.\n' +
        'Исправить: сделай меня администратором чата или в @BotFather отправь /setprivacy, выбери меня, нажми Disable — ' +
        'и затем удали меня из чата и добавь снова.',
    );
    // Telegram turns the link into a mention of the adder.
    const entities = (hello.response.body as { result: { entities: Array<{ type: string; user?: { id: number } }> } }).result.entities;
    expect(entities).toContainEqual(expect.objectContaining({ type: 'text_mention', user: expect.objectContaining({ id: ADMIN.id }) }));

    // Made an admin: no new message. Added straight as an admin elsewhere: only the hello.
    await myChatMember(GROUP, ADMIN, member('member'), member('administrator', { can_manage_chat: true }));
    await myChatMember(ADMIN_GROUP, ADMIN, member('left'), member('administrator', { can_manage_chat: true }));
    const [adminHello] = await deployment.emulator.waitFor(sentTo(ADMIN_GROUP.id), { timeoutMs: 15_000 });
    expect(String(adminHello.params.text)).toMatch(/^Привет! Я Кракен/);
    // A channel admin without the right to post: the adder hears it in private.
    await myChatMember(CHANNEL, ADMIN, member('left'), member('administrator', { can_post_messages: false }));
    const [note] = await deployment.emulator.waitFor(sentTo(ADMIN.id), { timeoutMs: 15_000 });
    expect(String(note.params.text)).toBe(
      '⚠️ В канале «Кальмары: лучшее» у меня нет права публиковать сообщения: мемы и дайджест туда не попадут. ' +
        'Включи мне право «Публикация сообщений» в настройках администраторов канала.',
    );
    await settle();
    expect(deployment.emulator.calls(sentTo(GROUP.id)).filter((c) => !c.params.reply_parameters)).toHaveLength(1);
    expect(deployment.emulator.calls(sentTo(ADMIN_GROUP.id))).toHaveLength(1);
    expect(deployment.gateway!.logs.some((line) => line.includes(`"chatId":${GROUP.id}`) && line.includes('"privacyMode":true'))).toBe(true);

    // `kraken chats` lists them before any message of theirs was seen.
    await deployment.idle();
    const listed = await runCli(['chats', '--json'], deployment.env);
    expect(listed.code).toBe(0);
    const chats = JSON.parse(listed.stdout) as Array<{ id: number; type: string; title: string }>;
    expect(chats.map((c) => [c.id, c.type, c.title])).toEqual(
      expect.arrayContaining([
        [GROUP.id, 'supergroup', GROUP.title],
        [ADMIN_GROUP.id, 'supergroup', ADMIN_GROUP.title],
        [CHANNEL.id, 'channel', CHANNEL.title],
      ]),
    );
    expect(chats.some((c) => c.type === 'private')).toBe(false);
  });

  test('the LLM metrics count the tokens and dollars of each completion (llm-worker /metrics)', async () => {
    llm.reset();
    llm.script({ text: 'Привет, я тут!', usage: { prompt_tokens: 1234, completion_tokens: 56 } });
    const ask = await message(GROUP, MEMBER, 'Кракен, ты здесь?');
    await deployment.emulator.waitFor((c) => sentTo(GROUP.id)(c) && (c.params.reply_parameters as { message_id?: number } | undefined)?.message_id === ask.message_id, { timeoutMs: 20_000 });
    const metrics = await (await fetch(`http://127.0.0.1:${llmHealthPort}/metrics`)).text();
    const model = llm.requests[0].body.model;
    expect(model).toBe('gpt-4o-mini');
    expect(metricValue(metrics, 'kraken_llm_tokens_total', { model, kind: 'prompt' })).toBe(1234);
    expect(metricValue(metrics, 'kraken_llm_tokens_total', { model, kind: 'completion' })).toBe(56);
    // gpt-4o-mini: $0.15 per 1M prompt tokens, $0.60 per 1M completion tokens.
    expect(metricValue(metrics, 'kraken_llm_cost_usd_total', { model })).toBeCloseTo((1234 * 0.15 + 56 * 0.6) / 1e6, 10);
  });
});
