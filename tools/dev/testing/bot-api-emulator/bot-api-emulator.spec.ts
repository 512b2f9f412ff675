import { type Server, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Telegraf, Telegram, TelegramError } from 'telegraf';
import { BotApiEmulator } from './bot-api-emulator';

const TOKEN = '123:ABC';
const GROUP = -1001234567890;

/** A minimal PNG: signature + IHDR declaring `width`×`height` (enough for size sniffing); `tag` makes bytes differ. */
function png(width: number, height: number, tag: number): Buffer {
  const buffer = Buffer.alloc(33 + 4);
  Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]).copy(buffer, 0);
  buffer.writeUInt32BE(13, 8);
  buffer.write('IHDR', 12, 'latin1');
  buffer.writeUInt32BE(width, 16);
  buffer.writeUInt32BE(height, 20);
  buffer.writeUInt32BE(tag, 33);
  return buffer;
}

/** Runs `call`, expecting a TelegramError; returns it. */
async function telegramError(call: Promise<unknown>): Promise<TelegramError> {
  try {
    await call;
  } catch (error) {
    expect(error).toBeInstanceOf(TelegramError);
    return error as TelegramError;
  }
  throw new Error('expected the call to fail');
}

describe('BotApiEmulator', () => {
  let emulator: BotApiEmulator;
  let apiRoot: string;
  let telegram: Telegram;

  beforeAll(async () => {
    emulator = new BotApiEmulator({ seed: 7 });
    apiRoot = await emulator.start();
    telegram = new Telegram(TOKEN, { apiRoot });
  });
  afterAll(() => emulator.stop());
  beforeEach(() => emulator.reset());

  test('sendMessage returns realistic Messages and is recorded', async () => {
    const first = await telegram.sendMessage(GROUP, 'hello');
    const second = await telegram.sendMessage(GROUP, 'again');
    const direct = await telegram.sendMessage(42, 'hi');

    expect(first).toMatchObject({
      message_id: 1,
      text: 'hello',
      chat: { id: GROUP, type: 'supergroup' },
      from: { id: 123, is_bot: true },
    });
    expect(Math.abs(first.date - Date.now() / 1000)).toBeLessThan(5);
    expect(second.message_id).toBe(2);
    expect(direct).toMatchObject({ message_id: 1, chat: { id: 42, type: 'private' } });

    const calls = emulator.calls('sendMessage');
    expect(calls).toHaveLength(3);
    expect(calls[0]).toMatchObject({
      method: 'sendMessage',
      params: { chat_id: GROUP, text: 'hello' },
      response: { status: 200, body: { ok: true } },
      injected: false,
    });
    expect(calls.map((call) => call.seq)).toEqual([...calls.map((call) => call.seq)].sort((a, b) => a - b));
  });

  test('unknown method: 404 method not found', async () => {
    const response = await fetch(`${apiRoot}/bot${TOKEN}/sendTelepathy`, { method: 'POST' });
    expect(response.status).toBe(404);
    expect(await response.json()).toEqual({ ok: false, error_code: 404, description: 'Not Found: method not found' });
    expect(emulator.calls('sendTelepathy')).toHaveLength(1);
  });

  test('missing required parameter: 400 naming it', async () => {
    const error = await telegramError(telegram.callApi('sendMessage', { text: 'no chat' } as never));
    expect(error.code).toBe(400);
    expect(error.description).toBe('Bad Request: parameter "chat_id" is required');
  });

  test('unknown parameter: 400 naming it', async () => {
    const error = await telegramError(telegram.sendMessage(GROUP, 'hi', { x: 1 } as never));
    expect(error.description).toBe('Bad Request: unknown parameter "x"');
  });

  test('wrong parameter type: 400', async () => {
    const error = await telegramError(telegram.callApi('sendMessage', { chat_id: GROUP, text: 'hi', disable_notification: 'maybe' } as never));
    expect(error.description).toBe('Bad Request: parameter "disable_notification" must be of type Boolean');
  });

  test('an injected 429 surfaces as TelegramError with parameters.retry_after, then calls pass again', async () => {
    emulator.injectFailure({ method: 'sendMessage', errorCode: 429, retryAfter: 7 });
    const error = await telegramError(telegram.sendMessage(GROUP, 'flood'));
    expect(error.code).toBe(429);
    expect(error.description).toBe('Too Many Requests: retry after 7');
    expect(error.parameters?.retry_after).toBe(7);
    await expect(telegram.sendMessage(GROUP, 'after')).resolves.toMatchObject({ text: 'after' });
    expect(emulator.calls('sendMessage').map((call) => call.injected)).toEqual([true, false]);
  });

  test('injected failures match by chat and are consumed in order', async () => {
    emulator.injectFailure({ chatId: 5, errorCode: 403, times: 2 });
    await expect(telegram.sendMessage(6, 'other chat')).resolves.toBeDefined();
    expect((await telegramError(telegram.sendMessage(5, 'x'))).description).toBe('Forbidden: bot was blocked by the user');
    expect((await telegramError(telegram.sendChatAction(5, 'typing'))).code).toBe(403);
    await expect(telegram.sendMessage(5, 'ok now')).resolves.toBeDefined();
  });

  test('failRatio fails a reproducible share of calls', async () => {
    const pattern = async () => {
      emulator.failRatio({ method: 'getMe', ratio: 0.5, errorCode: 500, seed: 99, durationMs: 60_000 });
      const outcomes: boolean[] = [];
      for (let i = 0; i < 20; i++) outcomes.push(await telegram.getMe().then(() => true, () => false));
      emulator.clearFailures();
      return outcomes;
    };
    const first = await pattern();
    expect(first.filter((ok) => !ok).length).toBeGreaterThan(2);
    expect(first.filter((ok) => ok).length).toBeGreaterThan(2);
    expect(await pattern()).toEqual(first);
  });

  test('a dropped connection is a network failure: no answer, nothing sent', async () => {
    emulator.clearCalls();
    emulator.dropConnection({ method: 'sendMessage', chatId: 8 });
    await expect(telegram.sendMessage(8, 'lost')).rejects.toThrow(/request to .*sendMessage failed/);
    await expect(telegram.sendMessage(8, 'again')).resolves.toMatchObject({ text: 'again' });
    expect(emulator.calls('sendMessage').map((call) => [call.injected, call.response.dropped ?? false])).toEqual([[true, true], [false, false]]);
  });

  test('latency: the call is executed at once, only the answer waits', async () => {
    emulator.clearCalls();
    emulator.addLatency({ method: 'sendMessage', ms: 400, times: 1 });
    const started = Date.now();
    const slow = telegram.sendMessage(9, 'slow');
    await emulator.waitFor('sendMessage', { timeoutMs: 300 });
    await expect(slow).resolves.toMatchObject({ text: 'slow' });
    expect(Date.now() - started).toBeGreaterThanOrEqual(390);
    await expect(telegram.sendMessage(9, 'fast')).resolves.toMatchObject({ text: 'fast' });
  });

  test('an API root of <root>/client/<name>/ names the caller in recorded calls', async () => {
    emulator.clearCalls();
    await new Telegram(TOKEN, { apiRoot: `${apiRoot}/client/second/` }).sendMessage(9, 'tagged');
    await telegram.sendMessage(9, 'untagged');
    expect(emulator.calls('sendMessage').map((call) => call.client)).toEqual(['second', undefined]);
  });

  test("HTML: unclosed and unsupported tags give can't parse entities", async () => {
    const unclosed = await telegramError(telegram.sendMessage(GROUP, '<b>unclosed', { parse_mode: 'HTML' }));
    expect(unclosed.description).toBe(`Bad Request: can't parse entities: Can't find end tag corresponding to start tag "b"`);
    const unknown = await telegramError(telegram.sendMessage(GROUP, '<foo>bar</foo>', { parse_mode: 'HTML' }));
    expect(unknown.description).toBe(`Bad Request: can't parse entities: Unsupported start tag "foo" at byte offset 0`);
    const bareAmp = await telegramError(telegram.sendMessage(GROUP, 'Tom & Jerry', { parse_mode: 'HTML' }));
    expect(bareAmp.description).toMatch(/^Bad Request: can't parse entities: Character "&" at byte offset 4/);
  });

  test('HTML: the result carries the visible text and entities', async () => {
    const message = await telegram.sendMessage(GROUP, '<b>Top</b> &lt;3 <a href="https://example.com">link</a>', {
      parse_mode: 'HTML',
    });
    expect(message.text).toBe('Top <3 link');
    expect(message.entities).toEqual([
      { type: 'bold', offset: 0, length: 3 },
      { type: 'text_link', offset: 7, length: 4, url: 'https://example.com' },
    ]);
  });

  test('MarkdownV2: an unescaped reserved character is rejected', async () => {
    const error = await telegramError(telegram.sendMessage(GROUP, 'Total: 5.', { parse_mode: 'MarkdownV2' }));
    expect(error.description).toBe(`Bad Request: can't parse entities: Character '.' is reserved and must be escaped with the preceding '\\'`);
    await expect(telegram.sendMessage(GROUP, '*Total:* 5\\.', { parse_mode: 'MarkdownV2' })).resolves.toMatchObject({
      text: 'Total: 5.',
      entities: [{ type: 'bold', offset: 0, length: 6 }],
    });
  });

  test('text length: 4096 UTF-16 units after parsing pass, 4097 fail; empty text fails', async () => {
    await expect(telegram.sendMessage(GROUP, 'a'.repeat(4096))).resolves.toBeDefined();
    await expect(telegram.sendMessage(GROUP, `<b>${'a'.repeat(4096)}</b>`, { parse_mode: 'HTML' })).resolves.toBeDefined();
    const tooLong = await telegramError(telegram.sendMessage(GROUP, 'a'.repeat(4097)));
    expect(tooLong.description).toBe('Bad Request: message is too long');
    const entities = await telegramError(telegram.sendMessage(GROUP, '&amp;'.repeat(4097), { parse_mode: 'HTML' }));
    expect(entities.description).toBe('Bad Request: message is too long');
    const emoji = await telegramError(telegram.sendMessage(GROUP, '😀'.repeat(2049)));
    expect(emoji.description).toBe('Bad Request: message is too long');
    const empty = await telegramError(telegram.sendMessage(GROUP, '<b> </b>', { parse_mode: 'HTML' }));
    expect(empty.description).toBe('Bad Request: message text is empty');
  });

  test('sendPhoto with a Buffer records the uploaded bytes', async () => {
    const image = png(640, 480, 1);
    const message = await telegram.sendPhoto(GROUP, { source: image }, { caption: '<i>chart</i>', parse_mode: 'HTML' });
    expect(message.caption).toBe('chart');
    expect(message.photo[message.photo.length - 1]).toMatchObject({ width: 640, height: 480, file_size: image.length });

    const [call] = emulator.calls('sendPhoto');
    expect(call.files.photo.data.equals(image)).toBe(true);
    expect(call.files.photo.data.subarray(0, 8).toString('hex')).toBe('89504e470d0a1a0a');
    expect(call.params).toMatchObject({ chat_id: GROUP, caption: '<i>chart</i>', parse_mode: 'HTML' });
  });

  test('captions longer than 1024 characters are refused', async () => {
    const error = await telegramError(telegram.sendPhoto(GROUP, 'AgACAgIAAxkBAAIB', { caption: 'c'.repeat(1025) }));
    expect(error.description).toBe('Bad Request: message caption is too long');
  });

  test('sendMediaGroup with two uploads resolves attach:// to the uploaded parts', async () => {
    const images = [png(100, 50, 1), png(200, 100, 2)];
    const messages = await telegram.sendMediaGroup(GROUP, [
      { type: 'photo', media: { source: images[0] }, caption: 'first' },
      { type: 'photo', media: { source: images[1] } },
    ]);
    expect(messages).toHaveLength(2);
    expect(messages.map((message) => message.message_id)).toEqual([1, 2]);
    expect(messages[0].media_group_id).toBeDefined();
    expect(messages[1].media_group_id).toBe(messages[0].media_group_id);
    expect(messages[0]).toMatchObject({ caption: 'first' });

    const [call] = emulator.calls('sendMediaGroup');
    const media = call.params.media as Array<{ media: string }>;
    expect(media.every((item) => item.media.startsWith('attach://'))).toBe(true);
    expect(call.mediaUploads).toHaveLength(2);
    expect(call.mediaUploads?.[0]?.data.equals(images[0])).toBe(true);
    expect(call.mediaUploads?.[1]?.data.equals(images[1])).toBe(true);
    expect(call.files[media[1].media.slice('attach://'.length)].data.equals(images[1])).toBe(true);

    const single = await telegramError(telegram.sendMediaGroup(GROUP, [{ type: 'photo', media: 'AgACAgIAAxkBAAIB' }]));
    expect(single.code).toBe(400);
  });

  test('getUpdates long-polls, returns a pushed update early and confirms by offset', async () => {
    const started = Date.now();
    const polling = telegram.getUpdates(10, 100, 0, undefined);
    setTimeout(() => emulator.pushUpdate({ message: { message_id: 1, date: 1, chat: { id: GROUP, type: 'supergroup' }, text: 'hi' } }), 200);
    const updates = await polling;
    expect(Date.now() - started).toBeLessThan(5000);
    expect(updates).toHaveLength(1);
    expect(updates[0]).toMatchObject({ update_id: 1, message: { text: 'hi' } });

    expect(await telegram.getUpdates(0, 100, 0, undefined)).toHaveLength(1);
    expect(await telegram.getUpdates(0, 100, updates[0].update_id + 1, undefined)).toEqual([]);
    expect(emulator.pendingUpdates()).toEqual([]);
  });

  test('a Telegraf bot polls a pushed update and replies', async () => {
    const bot = new Telegraf(TOKEN, { telegram: { apiRoot } });
    bot.on('message', (ctx) => ctx.reply('pong'));
    const launched = bot.launch({ allowedUpdates: ['message', 'chat_member'] });
    emulator.pushUpdate({
      message: { message_id: 5, date: 1, chat: { id: 77, type: 'private', first_name: 'A' }, from: { id: 77, is_bot: false, first_name: 'A' }, text: 'ping' },
    });
    const [reply] = await emulator.waitFor('sendMessage');
    expect(reply.params).toMatchObject({ chat_id: 77, text: 'pong' });
    bot.stop('test over');
    await launched;
    expect(emulator.calls('getUpdates')[0].params).toMatchObject({ timeout: 50, allowed_updates: ['message', 'chat_member'] });
  });

  test('getUpdates applies allowed_updates and answers 409 while a webhook is set', async () => {
    emulator.pushUpdate({ chat_member: { chat: { id: GROUP } } });
    emulator.pushUpdate({ message: { message_id: 2 } });
    expect((await telegram.getUpdates(0, 100, 0, undefined)).map((update) => Object.keys(update)[1])).toEqual(['message']);

    await telegram.setWebhook('http://127.0.0.1:9/unused');
    const conflict = await telegramError(telegram.getUpdates(0, 100, 0, undefined));
    expect(conflict.code).toBe(409);
    expect(conflict.description).toBe(
      "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first",
    );
    await telegram.deleteWebhook();
  });

  test('webhook: updates are POSTed with the secret and a method in the response is executed', async () => {
    const received: Array<{ secret?: string; body: string }> = [];
    const hook: Server = createServer((request, response) => {
      let body = '';
      request.on('data', (chunk) => (body += chunk));
      request.on('end', () => {
        received.push({ secret: request.headers['x-telegram-bot-api-secret-token'] as string, body });
        response.writeHead(200, { 'content-type': 'application/json' });
        response.end(JSON.stringify({ method: 'sendMessage', chat_id: GROUP, text: 'pong' }));
      });
    });
    await new Promise<void>((resolve) => hook.listen(0, '127.0.0.1', resolve));
    try {
      const url = `http://127.0.0.1:${(hook.address() as AddressInfo).port}/hook`;
      await telegram.setWebhook(url, { secret_token: 's3cret', allowed_updates: ['message'] });
      emulator.pushUpdate({ message: { message_id: 9, text: 'ping' } });
      const [reply] = await emulator.waitFor((call) => call.source === 'webhook-reply');
      expect(reply).toMatchObject({ method: 'sendMessage', params: { chat_id: GROUP, text: 'pong' }, response: { status: 200 } });
      expect(received).toHaveLength(1);
      expect(received[0].secret).toBe('s3cret');
      expect(JSON.parse(received[0].body)).toMatchObject({ update_id: 1, message: { text: 'ping' } });
      expect(await telegram.getWebhookInfo()).toMatchObject({ url, pending_update_count: 0, allowed_updates: ['message'] });
    } finally {
      await telegram.deleteWebhook();
      await new Promise((resolve) => hook.close(resolve));
    }
  });

  test('chat lookups use defaults or setChat settings', async () => {
    expect(await telegram.getChatMembersCount(GROUP)).toBe(42);
    const [owner] = await telegram.getChatAdministrators(GROUP);
    expect(owner.status).toBe('creator');
    emulator.setChat(-100777, { type: 'channel', title: 'News', memberCount: 7 });
    expect(await telegram.getChatMembersCount(-100777)).toBe(7);
    expect(await telegram.getChat(-100777)).toMatchObject({ id: -100777, type: 'channel', title: 'News' });
    expect((await telegram.sendMessage(-100777, 'post')).chat.type).toBe('channel');
    expect(await telegram.getChatMember(GROUP, 123)).toMatchObject({ status: 'administrator' });
  });

  test('edits: unchanged content is "not modified", deleted messages are gone', async () => {
    const sent = await telegram.sendMessage(GROUP, 'v1');
    const edited = await telegram.editMessageText(GROUP, sent.message_id, undefined, 'v2');
    expect(edited).toMatchObject({ message_id: sent.message_id, text: 'v2' });
    const same = await telegramError(telegram.editMessageText(GROUP, sent.message_id, undefined, 'v2'));
    expect(same.description).toMatch(/^Bad Request: message is not modified/);
    await expect(telegram.deleteMessage(GROUP, sent.message_id)).resolves.toBe(true);
    const gone = await telegramError(telegram.editMessageText(GROUP, sent.message_id, undefined, 'v3'));
    expect(gone.description).toBe('Bad Request: message to edit not found');
  });

  test('query strings and form bodies are coerced to the spec types', async () => {
    const viaQuery = await fetch(`${apiRoot}/bot${TOKEN}/sendMessage?chat_id=42&text=hi&disable_notification=true`);
    expect(viaQuery.status).toBe(200);
    const viaForm = await fetch(`${apiRoot}/bot${TOKEN}/sendMessage`, {
      method: 'POST',
      body: new URLSearchParams({ chat_id: '@kraken_news', text: 'hi', reply_markup: JSON.stringify({ inline_keyboard: [[{ text: 'a', callback_data: 'b' }]] }) }),
    });
    expect(viaForm.status).toBe(200);
    const [query, form] = emulator.calls('sendMessage');
    expect(query.params).toEqual({ chat_id: 42, text: 'hi', disable_notification: true });
    expect(form.params.chat_id).toBe('@kraken_news');
    expect(form.params.reply_markup).toEqual({ inline_keyboard: [[{ text: 'a', callback_data: 'b' }]] });
    expect((form.response.body as { result: { chat: { type: string } } }).result.chat.type).toBe('channel');
  });

  test('waitFor resolves on arrival and times out with the recorded calls listed', async () => {
    const waiting = emulator.waitFor('sendChatAction', { count: 2, timeoutMs: 2000 });
    await telegram.sendChatAction(GROUP, 'typing');
    await telegram.sendChatAction(GROUP, 'typing');
    await expect(waiting).resolves.toHaveLength(2);
    await expect(emulator.waitFor('sendPoll', { timeoutMs: 50 })).rejects.toThrow(/waitFor\(sendPoll\).*got 0[\s\S]*sendChatAction/);
  });

  test('control API: failures, updates, chats and calls over HTTP', async () => {
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- JSON answers of the control API
    type Json = any;
    const control = async (path: string, method: string, body?: unknown): Promise<{ status: number; body: Json }> => {
      const response = await fetch(`${apiRoot}/__emulator${path}`, {
        method,
        headers: { 'content-type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      return { status: response.status, body: await response.json() };
    };

    expect((await control('/health', 'GET')).body.result.specVersion).toMatch(/^Bot API/);
    expect((await control('/failures', 'POST', { method: 'sendMessage', errorCode: 429, retryAfter: 3 })).status).toBe(200);
    expect((await telegramError(telegram.sendMessage(GROUP, 'x'))).parameters?.retry_after).toBe(3);

    const pushed = await control('/updates', 'POST', [{ message: { message_id: 1 } }, { message: { message_id: 2 } }]);
    expect(pushed.body.result).toEqual([1, 2]);
    expect(await telegram.getUpdates(0, 100, 0, undefined)).toHaveLength(2);

    await control('/chats/-100555', 'POST', { type: 'channel', memberCount: 1234 });
    expect(await telegram.getChatMembersCount(-100555)).toBe(1234);

    await telegram.sendPhoto(GROUP, { source: png(1, 1, 3) });
    const photos = await control('/calls?method=sendPhoto', 'GET');
    expect(photos.body.result).toHaveLength(1);
    expect(Buffer.from(photos.body.result[0].files.photo.base64, 'base64').subarray(0, 4).toString('hex')).toBe('89504e47');

    expect((await control('/calls', 'DELETE')).status).toBe(200);
    expect(emulator.calls()).toEqual([]);
    expect((await control('/nope', 'GET')).status).toBe(404);
  });
});
