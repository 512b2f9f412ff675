import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from '../app-process';
import { BotApiEmulator } from './bot-api-emulator';

const TOKEN = '123:ABC';
const USER = 4242;
const GROUP = -1001234567890;
const FIXTURES = join(ROOT, 'test', 'fixtures', 'assistant');
const VOICE = readFileSync(join(FIXTURES, 'voice-ru.ogg'));
const PHOTO = readFileSync(join(FIXTURES, 'photo.jpg'));

/**
 * The Bot API methods and routes the private assistant relies on (issue 11), called with plain
 * fetch the way the outbox and the file downloader do.
 */
describe('BotApiEmulator: files, photos, drafts, edits and commands', () => {
  let emulator: BotApiEmulator;
  let apiRoot: string;

  /** POSTs a JSON call; returns the HTTP status and the Bot API body. */
  const call = async (method: string, params: Record<string, unknown>) => {
    const response = await fetch(`${apiRoot}/bot${TOKEN}/${method}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(params) });
    return { status: response.status, body: (await response.json()) as { ok: boolean; result?: any; description?: string } };
  };

  beforeAll(async () => {
    emulator = new BotApiEmulator({ token: TOKEN });
    apiRoot = await emulator.start();
  });
  afterAll(() => emulator.stop());
  beforeEach(() => emulator.reset());

  test('a voice note a user sent: getFile gives a voice/ path and the route serves the exact OGG bytes', async () => {
    const content = emulator.addMedia('voice', VOICE);
    expect(content).toEqual({ voice: { file_id: expect.any(String), file_unique_id: expect.any(String), file_size: VOICE.length, duration: 4, mime_type: 'audio/ogg' } });
    const voice = content.voice as { file_id: string };
    const file = await call('getFile', { file_id: voice.file_id });
    expect(file).toMatchObject({ status: 200, body: { ok: true, result: { file_id: voice.file_id, file_size: VOICE.length, file_path: expect.stringMatching(/^voice\/file_\d+\.oga$/) } } });

    const download = await fetch(`${apiRoot}/file/bot${TOKEN}/${file.body.result.file_path}`);
    expect(download.status).toBe(200);
    expect(Buffer.from(await download.arrayBuffer()).equals(VOICE)).toBe(true);
    expect((await fetch(`${apiRoot}/file/bot999:wrong/${file.body.result.file_path}`)).status).toBe(401);
    expect((await fetch(`${apiRoot}/file/bot${TOKEN}/voice/missing.oga`)).status).toBe(404);
    expect(emulator.fileDownloads().map((d) => d.status)).toEqual([200, 401, 404]);
    expect(emulator.calls('getFile')).toHaveLength(1);
  });

  test('getFile refuses files over 20 MB and unknown ids, as Telegram does', async () => {
    const big = emulator.addMedia('voice', VOICE, { fileSize: 21 * 1024 * 1024, duration: 1300 });
    const voice = big.voice as { file_id: string; file_size: number; duration: number };
    expect(voice).toMatchObject({ file_size: 21 * 1024 * 1024, duration: 1300 });
    expect(await call('getFile', { file_id: voice.file_id })).toEqual({ status: 400, body: { ok: false, error_code: 400, description: 'Bad Request: file is too big' } });
    expect((await call('getFile', { file_id: 'AwACAgIAAxkBAAIB' })).body.description).toBe('Bad Request: invalid file_id');
    expect((await call('getFile', {})).body.description).toBe('Bad Request: parameter "file_id" is required');
    expect(emulator.fileDownloads()).toEqual([]);
  });

  test('photos and documents a user sent carry Telegram-shaped fields', async () => {
    const { photo } = emulator.addMedia('photo', PHOTO) as { photo: Array<{ file_id: string; width: number; height: number }> };
    expect(photo.map((size) => [size.width, size.height])).toEqual([[90, 68], [320, 240]]);
    const file = await call('getFile', { file_id: photo[1].file_id });
    expect(file.body.result.file_path).toMatch(/^photos\/file_\d+\.jpg$/);
    const pdf = readFileSync(join(FIXTURES, 'sample.pdf'));
    const { document } = emulator.addMedia('document', pdf, { fileName: 'notes.pdf', mimeType: 'application/pdf' }) as { document: { file_id: string } };
    expect(document).toMatchObject({ file_name: 'notes.pdf', mime_type: 'application/pdf', file_size: pdf.length });
    const path = (await call('getFile', { file_id: document.file_id })).body.result.file_path;
    expect(path).toMatch(/^documents\/file_\d+\.pdf$/);
    expect(Buffer.from(await (await fetch(`${apiRoot}/file/bot${TOKEN}/${path}`)).arrayBuffer()).equals(pdf)).toBe(true);
  });

  test('sendPhoto: a multipart upload is recorded byte for byte and downloadable by its file_id; a URL works too', async () => {
    const form = new FormData();
    form.set('chat_id', String(USER));
    form.set('caption', '<b>Kraken</b> draws');
    form.set('parse_mode', 'HTML');
    form.set('photo', new Blob([PHOTO], { type: 'image/jpeg' }), 'kraken.jpg');
    const response = await fetch(`${apiRoot}/bot${TOKEN}/sendPhoto`, { method: 'POST', body: form });
    const sent = (await response.json()) as { ok: boolean; result: { caption: string; caption_entities: unknown[]; photo: Array<{ file_id: string; width: number }> } };
    expect(sent.ok).toBe(true);
    expect(sent.result.caption).toBe('Kraken draws');
    expect(sent.result.caption_entities).toEqual([{ type: 'bold', offset: 0, length: 6 }]);
    expect(sent.result.photo.at(-1)).toMatchObject({ width: 320, height: 240, file_size: PHOTO.length });
    const [recorded] = emulator.calls('sendPhoto');
    expect(recorded.files.photo).toMatchObject({ filename: 'kraken.jpg', mimeType: 'image/jpeg' });
    expect(recorded.files.photo.data.equals(PHOTO)).toBe(true);
    const path = (await call('getFile', { file_id: sent.result.photo.at(-1)!.file_id })).body.result.file_path;
    expect(Buffer.from(await (await fetch(`${apiRoot}/file/bot${TOKEN}/${path}`)).arrayBuffer()).equals(PHOTO)).toBe(true);

    const byUrl = await call('sendPhoto', { chat_id: USER, photo: 'http://127.0.0.1:9/fake-images/1-0.png' });
    expect(byUrl.body.result.photo).toHaveLength(2);
    expect((await call('sendPhoto', { chat_id: USER })).body.description).toBe('Bad Request: parameter "photo" is required');
  });

  test('sendMessageDraft: private chats only, non-zero draft_id, 0-4096 characters after parsing; the chat shows the last draft until sendMessage', async () => {
    expect(await call('sendMessageDraft', { chat_id: USER, draft_id: 7, text: '' })).toEqual({ status: 200, body: { ok: true, result: true } });
    expect(emulator.draft(USER)).toMatchObject({ draft_id: 7, text: '', updates: 1 });
    await call('sendMessageDraft', { chat_id: USER, draft_id: 7, text: 'Первая <b>часть</b>', parse_mode: 'HTML' });
    expect(emulator.draft(USER)).toMatchObject({ draft_id: 7, text: 'Первая часть', entities: [{ type: 'bold', offset: 7, length: 5 }], updates: 2 });

    expect((await call('sendMessageDraft', { chat_id: GROUP, draft_id: 7, text: 'x' })).body.description).toBe('Bad Request: message drafts can be sent only to private chats');
    expect((await call('sendMessageDraft', { chat_id: USER, draft_id: 0, text: 'x' })).body.description).toBe('Bad Request: draft_id must be non-zero');
    expect((await call('sendMessageDraft', { chat_id: USER, text: 'x' })).body.description).toBe('Bad Request: parameter "draft_id" is required');
    expect((await call('sendMessageDraft', { chat_id: USER, draft_id: 7, text: 'x'.repeat(4097) })).body.description).toBe('Bad Request: message is too long');
    expect((await call('sendMessageDraft', { chat_id: USER, draft_id: 7, text: '<b>x', parse_mode: 'HTML' })).status).toBe(400);
    expect((await call('sendMessageDraft', { chat_id: USER, draft_id: 7, text: 'x', reply_markup: {} })).body.description).toBe('Bad Request: unknown parameter "reply_markup"');
    expect(emulator.draft(USER)?.text).toBe('Первая часть');

    await call('sendMessage', { chat_id: USER, text: 'Первая часть и вторая' });
    expect(emulator.draft(USER)).toBeUndefined();
    expect(emulator.calls('sendMessageDraft').map((c) => c.response.status)).toEqual([200, 200, 400, 400, 400, 400, 400, 400]);
  });

  test('control API: another process registers a voice note and reads a draft', async () => {
    const control = (path: string, body?: unknown) =>
      fetch(`${apiRoot}/__emulator${path}`, body === undefined ? {} : { method: 'POST', body: JSON.stringify(body) }).then((r) => r.json() as Promise<{ ok: boolean; result?: any; description?: string }>);
    const added = await control('/media', { kind: 'voice', base64: VOICE.toString('base64') });
    expect(added.result.voice).toMatchObject({ file_size: VOICE.length, duration: 4, mime_type: 'audio/ogg' });
    expect((await call('getFile', { file_id: added.result.voice.file_id })).body.ok).toBe(true);
    expect(await control('/media', { kind: 'sticker', base64: '' })).toMatchObject({ ok: false, description: expect.stringMatching(/^unknown media kind "sticker"/) });
    expect((await control(`/drafts/${USER}`)).result).toBeNull();
    await call('sendMessageDraft', { chat_id: USER, draft_id: 3, text: 'Думаю…' });
    expect((await control(`/drafts/${USER}`)).result).toMatchObject({ draft_id: 3, text: 'Думаю…' });
  });

  test('a draft is a 30-second preview on the emulator clock', async () => {
    const now = Date.now();
    emulator.setClock(now);
    await call('sendMessageDraft', { chat_id: USER, draft_id: 1, text: 'thinking' });
    emulator.setClock(now + 29_000);
    expect(emulator.draft(USER)?.text).toBe('thinking');
    emulator.setClock(now + 30_500);
    expect(emulator.draft(USER)).toBeUndefined();
  });

  test('editMessageText replaces the text with parsed entities; unchanged content, no message id and empty text fail', async () => {
    const sent = await call('sendMessage', { chat_id: USER, text: 'draft' });
    const id = sent.body.result.message_id;
    const edited = await call('editMessageText', { chat_id: USER, message_id: id, text: 'final <i>answer</i>', parse_mode: 'HTML' });
    expect(edited.body.result).toMatchObject({ message_id: id, text: 'final answer', entities: [{ type: 'italic', offset: 6, length: 6 }], edit_date: expect.any(Number) });
    expect((await call('editMessageText', { chat_id: USER, message_id: id, text: 'final <i>answer</i>', parse_mode: 'HTML' })).body.description).toMatch(/^Bad Request: message is not modified/);
    expect((await call('editMessageText', { chat_id: USER, text: 'x' })).body.description).toBe('Bad Request: message identifier is not specified');
    expect((await call('editMessageText', { chat_id: USER, message_id: id, text: '' })).body.description).toBe('Bad Request: message text is empty');
  });

  test('setMyCommands per scope and language; getMyCommands and myCommands read them back; bad scopes, codes and commands are refused', async () => {
    const ru = [{ command: 'new', description: 'Новый диалог' }];
    const en = [{ command: 'new', description: 'New chat' }];
    const admin = [...en, { command: 'stats', description: 'Group stats' }];
    expect((await call('setMyCommands', { commands: ru, scope: { type: 'all_private_chats' }, language_code: 'ru' })).body.result).toBe(true);
    await call('setMyCommands', { commands: en, scope: { type: 'all_private_chats' } });
    await call('setMyCommands', { commands: admin, scope: { type: 'chat', chat_id: USER } });

    expect((await call('getMyCommands', { scope: { type: 'all_private_chats' }, language_code: 'ru' })).body.result).toEqual(ru);
    expect((await call('getMyCommands', { scope: { type: 'all_private_chats' } })).body.result).toEqual(en);
    expect((await call('getMyCommands', {})).body.result).toEqual([]);
    expect(emulator.myCommands({ chat_id: USER, type: 'chat' })).toEqual(admin);
    expect(emulator.myCommands({ type: 'all_private_chats' }, 'en')).toEqual([]);

    expect((await call('setMyCommands', { commands: en, scope: { type: 'chat' } })).body.description).toMatch(/^Bad Request: parameter "scope" must be of type BotCommandScope/);
    expect((await call('setMyCommands', { commands: en, scope: { type: 'everyone' } })).status).toBe(400);
    expect((await call('setMyCommands', { commands: en, language_code: 'ru-RU' })).body.description).toBe('Bad Request: invalid language code specified');
    expect((await call('setMyCommands', { commands: [{ command: 'New', description: 'x' }] })).body.description).toBe('Bad Request: BOT_COMMAND_INVALID');
    expect((await call('setMyCommands', { commands: [{ command: 'new' }] })).status).toBe(400);
  });
});
