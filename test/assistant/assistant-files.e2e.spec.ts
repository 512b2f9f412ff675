import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { FakeLlmServer, messageText, ROOT, type FakeLlmRequest, type RecordedCall } from '@kraken/testing';
import { Deployment, SECRET } from '../ops/support/deployment';
import { postUpdate } from '../support/processes';

const CAROL = { id: 7201, is_bot: false, first_name: 'Карина', language_code: 'ru' };
const DAN = { id: 7202, is_bot: false, first_name: 'Dan', language_code: 'en' };
const ERIN = { id: 7203, is_bot: false, first_name: 'Erin', language_code: 'en' };
const FIXTURES = join(ROOT, 'test', 'fixtures', 'assistant');

type User = typeof CAROL;
type Sent = Record<string, any>;

/**
 * Issue 11 item 7 on the apps as processes (gateway, llm-worker) with the Bot API emulator (getFile
 * and the file download route), the fake OpenAI-compatible provider, PostgreSQL and Redis: a PDF and a
 * DOCX answered from their text, a photo shown to a vision model as an image part, a model that cannot
 * see explained with a button to a vision model, and refused files (type, size) without an LLM call.
 */
describe('photos and documents in the private assistant', () => {
  const llm = new FakeLlmServer();
  let deployment: Deployment;
  let updateId = 1;
  let messageId = 900;
  let callbackId = 1;

  const post = async (update: Record<string, unknown>) => expect(await postUpdate(deployment.webhook, SECRET, { update_id: updateId++, ...update })).toBe(200);
  const privateChat = (user: User) => ({ id: user.id, type: 'private', first_name: user.first_name });
  /** Sends a message with `fields` (a file from addMedia, a caption, a text) in `user`'s private chat. */
  const send = async (user: User, fields: Record<string, unknown>): Promise<Sent> => {
    const message = { message_id: messageId++, date: Math.floor(Date.now() / 1000), chat: privateChat(user), from: user, ...fields };
    await post({ message });
    return message;
  };
  const replyTo = async (message: Sent): Promise<RecordedCall> =>
    (
      await deployment.emulator.waitFor(
        (c) => c.method === 'sendMessage' && c.response.status === 200 && Number(c.params.chat_id) === message.chat.id && (c.params.reply_parameters as { message_id?: number } | undefined)?.message_id === message.message_id,
        { timeoutMs: 30_000 },
      )
    )[0];
  /** Sends a file message; @returns the LLM requests it made and the reply. */
  const sendFile = async (user: User, fields: Record<string, unknown>): Promise<{ requests: FakeLlmRequest[]; reply: RecordedCall }> => {
    const before = llm.requests.length;
    const reply = await replyTo(await send(user, fields));
    return { requests: llm.requests.slice(before), reply };
  };
  const document = (file: string, mimeType: string, bytes = readFileSync(join(FIXTURES, file))) => deployment.emulator.addMedia('document', bytes, { fileName: file, mimeType });
  const lastUser = (request: FakeLlmRequest) => messageText(request.body.messages[request.body.messages.length - 1].content);
  const press = async (user: User, on: Sent, data: string): Promise<RecordedCall> => {
    const id = `cqf-${callbackId++}`;
    await post({ callback_query: { id, from: user, chat_instance: `ci-${user.id}`, message: on, data } });
    return (await deployment.emulator.waitFor((c) => c.method === 'answerCallbackQuery' && c.params.callback_query_id === id, { timeoutMs: 30_000 }))[0];
  };

  beforeAll(async () => {
    await llm.start();
    deployment = await Deployment.start({
      workers: 0,
      emulator: { bot: { username: 'KrakenFilesBot', first_name: 'Kraken' } },
      env: { LLM_PROVIDERS: 'fake', LLM_FAKE_BASE_URL: llm.baseUrl, LLM_FAKE_API_KEY: 'sk-fake', CHAT_MODEL: 'gpt-4o-mini', OUTBOX_CHAT_PER_SECOND: '30', LOG_LEVEL: 'warn' },
    });
    await deployment.startLlmWorker();
  }, 120_000);

  afterAll(async () => {
    await deployment?.stop();
    await llm.stop();
  });

  test('a PDF and a DOCX are answered from their text, with the caption as the question; the session keeps the turn', async () => {
    const pdf = await sendFile(CAROL, { ...document('sample.pdf', 'application/pdf'), caption: 'Какое секретное слово?' });
    expect(pdf.requests).toHaveLength(1);
    expect(lastUser(pdf.requests[0])).toContain('The secret word of this PDF is PELICAN-42.');
    expect(lastUser(pdf.requests[0])).toContain('Какое секретное слово?');
    expect(pdf.reply.params.text).toBe(`Answer #${pdf.requests[0].seq}`);

    const docx = await sendFile(CAROL, document('sample.docx', 'application/vnd.openxmlformats-officedocument.wordprocessingml.document'));
    expect(docx.requests).toHaveLength(1);
    expect(lastUser(docx.requests[0])).toContain('The secret word of this DOCX is WALRUS-17.');
    expect(lastUser(docx.requests[0])).toContain('Кратко перескажи этот документ.');
    // The stored turns are the short form, not the whole document.
    const history = docx.requests[0].body.messages.slice(1, -1).map((m) => `${m.role}: ${messageText(m.content)}`);
    expect(history).toEqual(['user: 📄 sample.pdf: Какое секретное слово?', `assistant: Answer #${pdf.requests[0].seq}`]);
  });

  test('a long document is summarised in chunks by the fast model first, then answered from the summaries', async () => {
    const text = Array.from({ length: 3000 }, (_, i) => `Paragraph ${i}: the walrus named WALRUS-${i} counts ${i * 3} fish on the northern shore.`).join('\n\n');
    const { requests, reply } = await sendFile(DAN, { ...document('log.txt', 'text/plain', Buffer.from(text)), caption: 'How many walruses?' });
    const maps = requests.slice(0, -1);
    const answer = requests[requests.length - 1];
    expect(maps.length).toBeGreaterThan(3);
    expect(messageText(maps[0].body.messages[1].content)).toContain('WALRUS-0 ');
    expect(messageText(maps[maps.length - 1].body.messages[1].content)).toContain('WALRUS-2999 ');
    // The answer's prompt holds the chunk summaries (the fake's answers), not the document.
    expect(lastUser(answer)).toContain(`Answer #${maps[0].seq}`);
    expect(lastUser(answer)).not.toContain('WALRUS-0 ');
    expect(lastUser(answer)).toContain('How many walruses?');
    expect(reply.params.text).toBe(`Answer #${answer.seq}`);
  });

  // A photo *message* in private is still a meme submission (the meme flow runs first, see
  // MemesUpdate); an image sent as a file goes to the assistant.
  test('a photo sent as a file reaches the vision model as an image part with its bytes', async () => {
    const photo = readFileSync(join(FIXTURES, 'photo.jpg'));
    const { requests, reply } = await sendFile(DAN, { ...document('photo.jpg', 'image/jpeg', photo), caption: 'What colours do you see?' });
    expect(requests).toHaveLength(1);
    expect(requests[0].body.model).toBe('gpt-4o-mini');
    expect(requests[0].images).toHaveLength(1);
    expect(requests[0].images[0]).toMatchObject({ role: 'user', mimeType: 'image/jpeg' });
    expect(requests[0].images[0].data!.equals(photo)).toBe(true);
    expect(lastUser(requests[0])).toBe('What colours do you see?');
    expect(reply.params.text).toBe(`Answer #${requests[0].seq}`);
  });

  test('a model that cannot see gets the explanation and a button that switches to a vision model', async () => {
    const menu = await replyTo(await send(ERIN, { text: '/model', entities: [{ type: 'bot_command', offset: 0, length: 6 }] }));
    await press(ERIN, (menu.response.body as { result: Sent }).result, 'as:m:llama-3.1-8b-instant');
    await deployment.emulator.waitFor((c) => c.method === 'sendMessage' && Number(c.params.chat_id) === ERIN.id && /llama-3\.1-8b-instant/.test(String(c.params.text)) && !c.params.reply_parameters, { timeoutMs: 30_000 });

    const photo = readFileSync(join(FIXTURES, 'photo.jpg'));
    const refused = await sendFile(ERIN, document('photo.jpg', 'image/jpeg', photo));
    expect(refused.requests).toHaveLength(0);
    expect(refused.reply.params.text).toMatch(/^The model <code>llama-3\.1-8b-instant<\/code> cannot see images\. Switch to <code>[\w.-]+<\/code>/);
    const keyboard = (refused.reply.params.reply_markup as { inline_keyboard: Array<Array<{ text: string; callback_data: string }>> }).inline_keyboard;
    const data = keyboard[0][0].callback_data;
    expect(data).toMatch(/^as:m:/);
    await press(ERIN, (refused.reply.response.body as { result: Sent }).result, data);

    const seen = await sendFile(ERIN, document('photo.jpg', 'image/jpeg', photo));
    expect(seen.requests).toHaveLength(1);
    expect(seen.requests[0].body.model).toBe(data.slice('as:m:'.length));
    expect(seen.requests[0].images[0].data!.equals(photo)).toBe(true);
    expect(lastUser(seen.requests[0])).toBe('Describe what is in the image.');
  });

  test('unsupported, over-large and unreadable files get a clear message and no LLM call', async () => {
    const before = llm.requests.length;
    const exe = await sendFile(DAN, deployment.emulator.addMedia('document', Buffer.from('MZ\u0090\u0000'), { fileName: 'setup.exe', mimeType: 'application/x-msdownload' }));
    expect(exe.reply.params.text).toBe('I cannot read this type of file. Send a PDF, DOCX, TXT, MD, CSV, JSON or an image (JPEG, PNG, WebP).');
    const huge = await sendFile(CAROL, deployment.emulator.addMedia('document', Buffer.from('x'), { fileName: 'big.pdf', mimeType: 'application/pdf', fileSize: 21 * 1024 * 1024 }));
    expect(huge.reply.params.text).toBe('Файл больше 20 МБ: Telegram не даёт ботам скачивать такие. Пришлите файл поменьше.');
    const broken = await sendFile(DAN, deployment.emulator.addMedia('document', Buffer.from('%PDF-1.4 not really'), { fileName: 'broken.pdf', mimeType: 'application/pdf' }));
    expect(broken.reply.params.text).toBe('I cannot read the file: it is damaged or in an unknown format.');
    const rows = 'id,value\n' + Array.from({ length: 100_000 }, (_, i) => `${i},${i * 7}`).join('\n');
    const csv = await sendFile(DAN, deployment.emulator.addMedia('document', Buffer.from(rows), { fileName: 'rows.csv', mimeType: 'text/csv' }));
    expect(csv.reply.params.text).toBe('The table has too many rows (over 10,000). Please send a smaller extract.');
    expect(llm.requests.length).toBe(before);
    // The over-large file was refused from its file_size, before getFile.
    expect(deployment.emulator.calls((c) => c.method === 'getFile').length).toBe(deployment.emulator.fileDownloads().length);
  });
});
