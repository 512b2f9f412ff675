import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { QueueName } from '@kraken/contracts';
import { FakeLlmServer, ROOT, type FakeLlmRequest, type RecordedCall } from '@kraken/testing';
import { Queue } from 'bullmq';
import Redis from 'ioredis';
import { Deployment, SECRET } from '../ops/support/deployment';
import { postUpdate } from '../support/processes';

const ALICE = { id: 7101, is_bot: false, first_name: 'Алиса', language_code: 'ru' };
const BOB = { id: 7102, is_bot: false, first_name: 'Bob', language_code: 'en' };
const GROUP = { id: -1007100000001, type: 'supergroup', title: 'Кальмары' };
const BOT_USERNAME = 'KrakenAssistantBot';

type User = typeof ALICE;
type Sent = Record<string, any>;

const preset = (mode: string, language: string) => readFileSync(join(ROOT, 'prompts', 'modes', `${mode}.${language}.md`), 'utf8').trim();

/**
 * Issue 11, the private assistant's foundation, on the apps as processes (gateway, llm-worker) with
 * the Bot API emulator, the fake OpenAI-compatible provider, PostgreSQL and Redis: sessions remembered
 * across turns and restarts, the commands and their buttons, the idle rule, forged buttons refused,
 * and groups still answered by the group machinery.
 */
describe('Kraken as a private assistant', () => {
  const llm = new FakeLlmServer();
  let deployment: Deployment;
  let updateId = 1;
  let messageId = 500;
  let callbackId = 1;

  const post = async (update: Record<string, unknown>) => expect(await postUpdate(deployment.webhook, SECRET, { update_id: updateId++, ...update })).toBe(200);
  const privateChat = (user: User) => ({ id: user.id, type: 'private', first_name: user.first_name });
  const send = async (chat: Record<string, unknown>, user: User, text: string): Promise<Sent> => {
    const command = text.startsWith('/') ? { entities: [{ type: 'bot_command', offset: 0, length: text.split(' ')[0].length }] } : {};
    const message = { message_id: messageId++, date: Math.floor(Date.now() / 1000), chat, from: user, text, ...command };
    await post({ message });
    return message;
  };
  /** The bot's accepted sendMessage replying to `message`. */
  const replyTo = async (message: Sent, timeoutMs = 30_000): Promise<RecordedCall> =>
    (
      await deployment.emulator.waitFor(
        (c) => c.method === 'sendMessage' && c.response.status === 200 && Number(c.params.chat_id) === message.chat.id && (c.params.reply_parameters as { message_id?: number } | undefined)?.message_id === message.message_id,
        { timeoutMs },
      )
    )[0];
  const sentMessage = (call: RecordedCall): Sent => (call.response.body as { result: Sent }).result;
  /** Sends `text` in `user`'s private chat; @returns the LLM request it made and the reply. */
  const ask = async (user: User, text: string): Promise<{ request: FakeLlmRequest; reply: RecordedCall }> => {
    const before = llm.requests.length;
    const message = await send(privateChat(user), user, text);
    const reply = await replyTo(message);
    expect(llm.requests.length).toBe(before + 1);
    return { request: llm.requests[before], reply };
  };
  const command = async (user: User, text: string): Promise<RecordedCall> => replyTo(await send(privateChat(user), user, text));
  /** The callback data of the button labelled like `label` in a sent message's inline keyboard. */
  const button = (call: RecordedCall, label: RegExp): string => {
    const keyboard = (call.params.reply_markup as { inline_keyboard: Array<Array<{ text: string; callback_data: string }>> }).inline_keyboard;
    const found = keyboard.flat().find((b) => label.test(b.text));
    if (!found) throw new Error(`no button ${label} in ${JSON.stringify(keyboard)}`);
    return found.callback_data;
  };
  /** Presses a button with `data` under the bot's message `on`, as `user`; @returns the callback answer. */
  const press = async (user: User, on: Sent, data: string): Promise<RecordedCall> => {
    const id = `cq-${callbackId++}`;
    await post({ callback_query: { id, from: user, chat_instance: `ci-${user.id}`, message: on, data } });
    return (await deployment.emulator.waitFor((c) => c.method === 'answerCallbackQuery' && c.params.callback_query_id === id, { timeoutMs: 30_000 }))[0];
  };
  /** The next bot message to `user` that is not a reply, after `count` such messages were seen. */
  const nextPlain = async (user: User, count: number): Promise<RecordedCall> => {
    const calls = await deployment.emulator.waitFor((c) => c.method === 'sendMessage' && c.response.status === 200 && Number(c.params.chat_id) === user.id && !c.params.reply_parameters, { count: count + 1, timeoutMs: 30_000 });
    return calls[count];
  };
  const plainCount = (user: User) => deployment.emulator.calls((c) => c.method === 'sendMessage' && c.response.status === 200 && Number(c.params.chat_id) === user.id && !c.params.reply_parameters).length;
  const stopLlmWorkers = () => Promise.all(deployment.llmWorkers.map((worker) => worker.stop()));
  const contents = (request: FakeLlmRequest) => request.body.messages.map((m) => `${m.role}: ${m.content}`);

  beforeAll(async () => {
    await llm.start();
    deployment = await Deployment.start({
      workers: 0,
      emulator: { bot: { username: BOT_USERNAME, first_name: 'Kraken' } },
      env: { LLM_PROVIDERS: 'fake', LLM_FAKE_BASE_URL: llm.baseUrl, LLM_FAKE_API_KEY: 'sk-fake', CHAT_MODEL: 'gpt-4o-mini', OUTBOX_CHAT_PER_SECOND: '30', OUTBOX_GROUP_PER_MINUTE: '1000', LOG_LEVEL: 'warn' },
    });
    await deployment.startLlmWorker();
  }, 120_000);

  afterAll(async () => {
    await deployment?.stop();
    await llm.stop();
  });

  test('a private conversation is remembered across turns and across a restart of the apps', async () => {
    const first = await ask(ALICE, 'Привет! Меня зовут Алиса, я варю кальмаров.');
    expect(first.request.body.model).toBe('gpt-4o-mini');
    expect(first.request.body.max_tokens).toBe(2000);
    expect(contents(first.request)).toEqual([`system: ${preset('assistant', 'ru')}`, 'user: Привет! Меня зовут Алиса, я варю кальмаров.']);
    const firstAnswer = `Answer #${first.request.seq}`;
    expect(first.reply.params.text).toBe(firstAnswer);

    const second = await ask(ALICE, 'Как меня зовут?');
    expect(contents(second.request)).toEqual([
      `system: ${preset('assistant', 'ru')}`,
      'user: Привет! Меня зовут Алиса, я варю кальмаров.',
      `assistant: ${firstAnswer}`,
      'user: Как меня зовут?',
    ]);

    await deployment.gateway!.stop();
    await stopLlmWorkers();
    await deployment.startGateway();
    await deployment.startLlmWorker();

    const third = await ask(ALICE, 'А что я варю?');
    expect(contents(third.request).slice(1)).toEqual([
      'user: Привет! Меня зовут Алиса, я варю кальмаров.',
      `assistant: ${firstAnswer}`,
      'user: Как меня зовут?',
      `assistant: Answer #${second.request.seq}`,
      'user: А что я варю?',
    ]);
    // A private chat keeps no group context: no rolling-context entry exists for it.
    const redis = new Redis(deployment.env.REDIS_URL);
    try {
      expect(await redis.exists(`${deployment.env.QUEUE_PREFIX}:chat:ctx:${ALICE.id}:z`, `${deployment.env.QUEUE_PREFIX}:chat:ctx:${ALICE.id}:h`)).toBe(0);
    } finally {
      redis.disconnect();
    }
  });

  test('/new starts a titled session; /sessions switches back to the first one; /t counts it', async () => {
    expect((await command(ALICE, '/new Рецепты')).params.text).toBe('Новый диалог «Рецепты». Спрашивайте.');
    const fresh = await ask(ALICE, 'Сколько соли класть?');
    expect(contents(fresh.request)).toEqual([`system: ${preset('assistant', 'ru')}`, 'user: Сколько соли класть?']);

    const list = await command(ALICE, '/sessions');
    const labels = (list.params.reply_markup as { inline_keyboard: Array<Array<{ text: string }>> }).inline_keyboard.map((row) => row.map((b) => b.text));
    expect(labels).toEqual([
      ['● Рецепты', '✏️', '🗑'],
      ['Привет! Меня зовут Алиса, я варю кальмаров.', '✏️', '🗑'],
    ]);
    const seen = plainCount(ALICE);
    const answer = await press(ALICE, sentMessage(list), button(list, /^Привет/));
    expect(answer.params.show_alert).toBeFalsy();
    expect((await nextPlain(ALICE, seen)).params.text).toBe('Переключился на диалог «Привет! Меня зовут Алиса, я варю кальмаров.».');
    const back = await ask(ALICE, 'Напомни, как меня зовут?');
    expect(contents(back.request)).toHaveLength(1 + 6 + 1);
    expect(contents(back.request)[1]).toBe('user: Привет! Меня зовут Алиса, я варю кальмаров.');

    const tokens = await command(ALICE, '/t');
    expect(tokens.params.text).toMatch(/^Контекст текущего диалога: \d+ \/ 128 000 \(\d+\.\d %\) токенов\.$/);
  });

  test('/clear empties the current session', async () => {
    expect((await command(ALICE, '/clear')).params.text).toBe('Текущий диалог очищен: начинаем с чистого листа.');
    const after = await ask(ALICE, 'С чего начнём?');
    expect(contents(after.request)).toEqual([`system: ${preset('assistant', 'ru')}`, 'user: С чего начнём?']);
  });

  test('/model offers the registry as buttons; the choice is used for the next question', async () => {
    const menu = await command(ALICE, '/model');
    expect(menu.params.text).toBe('Текущая модель: <b>gpt-4o-mini</b>. Выберите другую:');
    const seen = plainCount(ALICE);
    await press(ALICE, sentMessage(menu), button(menu, /^o4-mini$/));
    expect((await nextPlain(ALICE, seen)).params.text).toBe('Модель диалога: <b>o4-mini</b> (контекст 200 000 токенов).');
    const next = await ask(ALICE, 'Какая ты модель?');
    expect(next.request.body.model).toBe('o4-mini');
    // o4-mini takes max_completion_tokens (the registry's output-limit parameter), not max_tokens.
    expect(next.request.body.max_completion_tokens).toBe(2000);
    expect(next.request.body.max_tokens).toBeUndefined();
    // A forged model id is refused.
    const refused = await press(ALICE, sentMessage(menu), 'as:m:gpt-9-imaginary');
    expect(refused.params).toMatchObject({ text: 'Эта модель недоступна.', show_alert: true });
  });

  test('/system sets, shows and resets the system prompt', async () => {
    expect((await command(ALICE, '/system Отвечай только стихами.')).params.text).toBe('Системный промпт диалога обновлён.');
    const poem = await ask(ALICE, 'Расскажи про кальмара');
    expect(poem.request.body.messages[0]).toEqual({ role: 'system', content: 'Отвечай только стихами.' });
    expect((await command(ALICE, '/system')).params.text).toContain('Ваш системный промпт:\n<blockquote expandable>Отвечай только стихами.</blockquote>');
    expect((await command(ALICE, '/system reset')).params.text).toBe('Системный промпт сброшен к промпту режима.');
    const plain = await ask(ALICE, 'А теперь прозой');
    expect(plain.request.body.messages[0]).toEqual({ role: 'system', content: preset('assistant', 'ru') });
  });

  test('/mode offers the presets; English users get English texts and presets', async () => {
    const menu = await command(BOB, '/mode');
    expect(menu.params.text).toBe('Current mode: <b>Assistant</b>. Choose another:');
    const seen = plainCount(BOB);
    await press(BOB, sentMessage(menu), button(menu, /^Translator$/));
    expect((await nextPlain(BOB, seen)).params.text).toBe("Mode: <b>Translator</b>. The conversation now uses this mode's system prompt.");
    const translated = await ask(BOB, 'Good morning, squid!');
    expect(translated.request.body.messages[0]).toEqual({ role: 'system', content: preset('translator', 'en') });
    const info = await command(BOB, '/info');
    expect(info.params.text).toContain('your private assistant');
    expect(info.params.text).toContain('Model: gpt-4o-mini, mode: Translator');
    expect(info.params.text).toMatch(/Spent this month: \$\d+\.\d{4}/);
  });

  test("a forged button, or one naming another user's session, is refused and changes nothing", async () => {
    const list = await command(ALICE, '/sessions');
    const alicesSwitch = button(list, /Рецепты/);
    const alicesDelete = (list.params.reply_markup as { inline_keyboard: Array<Array<{ text: string; callback_data: string }>> }).inline_keyboard.find((row) => row[0].text.includes('Рецепты'))![2].callback_data;
    const bobsView = { ...sentMessage(list), chat: privateChat(BOB) };
    expect((await press(BOB, bobsView, alicesDelete)).params).toMatchObject({ text: 'That conversation is not yours.', show_alert: true });
    expect((await press(BOB, bobsView, alicesSwitch)).params).toMatchObject({ text: 'That conversation is not yours.', show_alert: true });
    expect((await press(BOB, bobsView, 'as:sw:../../etc')).params).toMatchObject({ text: 'This button is outdated or damaged.', show_alert: true });
    // Alice's sessions are untouched: both still listed, in the same order.
    const again = await command(ALICE, '/sessions');
    expect((again.params.reply_markup as { inline_keyboard: unknown[] }).inline_keyboard).toHaveLength(2);
    expect(again.params.reply_markup).toEqual(list.params.reply_markup);
  });

  test('/sessions renames (the next message is the title) and deletes', async () => {
    const row = (call: RecordedCall, title: RegExp) => (call.params.reply_markup as { inline_keyboard: Array<Array<{ text: string; callback_data: string }>> }).inline_keyboard.find((r) => title.test(r[0].text))!;
    const list = await command(ALICE, '/sessions');
    let seen = plainCount(ALICE);
    await press(ALICE, sentMessage(list), row(list, /Рецепты/)[1].callback_data);
    const prompt = await nextPlain(ALICE, seen);
    expect(prompt.params).toMatchObject({ text: 'Пришлите новое название для диалога «Рецепты» следующим сообщением.', reply_markup: { force_reply: true } });
    const before = llm.requests.length;
    expect((await command(ALICE, 'Супы и соусы')).params.text).toBe('Диалог переименован: «Супы и соусы».');
    expect(llm.requests.length).toBe(before);
    const renamed = await command(ALICE, '/sessions');
    seen = plainCount(ALICE);
    await press(ALICE, sentMessage(renamed), row(renamed, /Супы и соусы/)[2].callback_data);
    expect((await nextPlain(ALICE, seen)).params.text).toBe('Диалог «Супы и соусы» удалён.');
    const after = await command(ALICE, '/sessions');
    expect((after.params.reply_markup as { inline_keyboard: Array<Array<{ text: string }>> }).inline_keyboard.map((r) => r[0].text)).toEqual(['● Привет! Меня зовут Алиса, я варю кальмаров.']);
  });

  test('a sticker gets a clear note in the user language, and no LLM call', async () => {
    const before = llm.requests.length;
    const sticker = { message_id: messageId++, date: Math.floor(Date.now() / 1000), chat: privateChat(BOB), from: BOB, sticker: { file_id: 'st1', file_unique_id: 'st1', type: 'regular', width: 512, height: 512, is_animated: false, is_video: false } };
    await post({ message: sticker });
    expect((await replyTo(sticker)).params.text).toBe('For now I only understand text. Please write your question in words.');
    expect(llm.requests.length).toBe(before);
  });

  test('a group message still takes the group path, never the assistant queue', async () => {
    const before = llm.requests.length;
    const message = await send(GROUP, ALICE, 'Кракен, как дела в группе?');
    await replyTo(message);
    const request = llm.requests[before];
    expect(request.body.messages[0].content).not.toBe(preset('assistant', 'ru'));
    expect(JSON.stringify(request.body.messages)).not.toContain('Сколько соли');
    const queue = (name: string) => new Queue(name, { connection: { url: deployment.env.REDIS_URL }, prefix: deployment.env.QUEUE_PREFIX });
    const [answers, assistant] = [queue(QueueName.ChatAnswers), queue(QueueName.Assistant)];
    try {
      expect(await answers.getJob(`ans-${GROUP.id}-${message.message_id}`)).toBeDefined();
      expect(await assistant.getJob(`ast-${GROUP.id}-${message.message_id}`)).toBeUndefined();
    } finally {
      await Promise.all([answers.close(), assistant.close()]);
    }
  });

  test('after ASSISTANT_IDLE_HOURS a new message starts a fresh session, with a button back to the old one', async () => {
    await stopLlmWorkers();
    await deployment.startLlmWorker({ ASSISTANT_IDLE_HOURS: String(3 / 3600) });
    // A session without turns is never idle: /new and its first question make one exchange in it.
    await command(BOB, '/new Morning');
    await ask(BOB, 'First question of the day');
    await new Promise((resolve) => setTimeout(resolve, 3500));
    const seen = plainCount(BOB);
    const fresh = await ask(BOB, 'A new topic');
    expect(contents(fresh.request)).toEqual([`system: ${preset('translator', 'en')}`, 'user: A new topic']);
    const notice = await nextPlain(BOB, seen);
    expect(notice.params.text).toBe('It has been a while, so this is a new conversation. The previous one: «Morning».');
    const seenAfter = plainCount(BOB);
    await press(BOB, sentMessage(notice), button(notice, /Back/));
    expect((await nextPlain(BOB, seenAfter)).params.text).toBe('Switched to «Morning».');
    const back = await ask(BOB, 'Where were we?');
    expect(contents(back.request).slice(1)).toEqual(['user: First question of the day', expect.stringMatching(/^assistant: Answer #\d+$/), 'user: Where were we?']);
  });
});
