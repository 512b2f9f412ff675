import { NO_KNOWLEDGE_INSTRUCTION } from '@kraken/kb';
import type { FakeLlmRequest } from '@kraken/testing';
import { ChatHarness } from '../chat/chat-harness';
import { sampleDocx } from '../kb/support/sample-files';

/**
 * Issue 14, knowledge base in the chat, end to end (gateway and llm-worker in process, emulator, fake
 * LLM, PostgreSQL, Redis): an admin adds documents with `/kb add` in a private chat; answers in the
 * group carry their citation when the knowledge base has the answer, and the model is told to say it
 * does not know when it has not (checked in what the fake LLM received).
 */
const RULES = `# Правила

## Реклама
Реклама и ссылки на чужие каналы запрещены. Первое нарушение — предупреждение, второе — бан.

## Встречи
Встречи сообщества проходят в первую субботу месяца в коворкинге «Маяк» на Лиговском проспекте, начало в 19:00.`;

const admin = { id: 601, first_name: 'Admin' };
const anna = { id: 602, first_name: 'Anna' };
const group = { id: -100600, title: 'Community' };

const prompt = (request: FakeLlmRequest) => request.body.messages.map((m) => m.content).join('\n');

describe('knowledge base in the chat', () => {
  const h = new ChatHarness();
  beforeAll(async () => {
    await h.start({ env: { CHAT_QUIET_SECONDS: '30', CHAT_QUESTION_POLICY: 'quiet', KB_ADMIN_IDS: String(admin.id) } });
    h.emulator.setChat(group.id, { members: { [admin.id]: { status: 'administrator', user: { ...admin, is_bot: false } } } });
  });
  afterAll(() => h.stop());

  const reply = async (chat: { id: number; title?: string }, from: typeof admin, text: string, extra: Record<string, unknown> = {}) => {
    const sent = await h.send(chat, from, text, extra);
    const [answer] = await h.waitForReplies(chat.id, sent.message_id, 1, 15_000);
    return String(answer.params.text);
  };
  const fileMessage = (name: string, data: Buffer) => {
    const file = h.emulator.addFile(data, name);
    return { message_id: 90_000 + Math.floor(Math.random() * 1000), date: Math.floor(h.clock.now() / 1000), chat: { id: admin.id, type: 'private', first_name: admin.first_name }, from: { ...admin, is_bot: false }, document: { ...file, file_name: name, mime_type: 'text/markdown' } };
  };

  it('before any document: answers as before, no knowledge-base material', async () => {
    const before = h.llm().requests.length;
    await reply({ id: -100601 }, anna, 'Кракен, привет!');
    const sent = prompt(h.llm().requests[before]);
    expect(sent).not.toContain(NO_KNOWLEDGE_INSTRUCTION);
    expect(sent).not.toContain('Knowledge base');
  });

  it('/kb add in a private chat: a file for one chat (admins of it only), a text for every chat (KB_ADMIN_IDS)', async () => {
    const refused = await reply({ id: anna.id }, anna, `/kb add ${group.id}`, { reply_to_message: fileMessage('rules.md', Buffer.from(RULES)) });
    expect(refused).toBe('База знаний чата — только для его администраторов.');
    expect(await reply({ id: admin.id }, admin, `/kb add ${group.id}`, { reply_to_message: fileMessage('rules.md', Buffer.from(RULES)) })).toMatch(/^📚 Добавлено «rules» \(#\d+\): 2 разд\. — чат -100600\.$/);
    const docx = sampleDocx([{ text: 'Парковка', heading: 1 }, { text: 'Парковка для участников бесплатная после 18:00 у заднего входа.' }]);
    expect(await reply({ id: admin.id }, admin, `/kb add ${group.id}`, { reply_to_message: fileMessage('parking.docx', docx) })).toContain('Добавлено «parking»');
    const text = { message_id: 91_500, date: Math.floor(h.clock.now() / 1000), chat: { id: admin.id, type: 'private' }, from: { ...admin, is_bot: false }, text: 'Wi-Fi в коворкинге\n\nСеть Mayak-Guest, пароль выдаёт администратор на стойке.' };
    expect(await reply({ id: admin.id }, admin, '/kb add', { reply_to_message: text })).toContain('Добавлено «Wi-Fi в коворкинге»');
    expect(await reply({ id: admin.id }, admin, `/kb add ${group.id}`, { reply_to_message: fileMessage('empty.md', Buffer.from('  ')) })).toBe('Не удалось добавить: the file contains no text.');
    const list = await reply({ id: admin.id }, admin, `/kb list ${group.id}`);
    expect(list).toContain('rules');
    expect(list).toContain('Wi-Fi в коворкинге');
  });

  it('an answer with a knowledge-base hit carries its citation; the model got the excerpt', async () => {
    const before = h.llm().requests.length;
    h.llm().script({ text: 'Встречи — в первую субботу месяца в «Маяке», в 19:00.' });
    const answer = await reply(group, anna, 'Кракен, когда проходят встречи сообщества?');
    expect(answer).toContain('📎 rules, §2');
    const sent = prompt(h.llm().requests[before]);
    expect(sent).toContain('[📎 rules, §2] Правила › Встречи');
    expect(sent).toContain('коворкинге «Маяк»');
    expect(sent).not.toContain(NO_KNOWLEDGE_INSTRUCTION);
  });

  it('a question the knowledge base does not answer: the model is told to say it does not know, no excerpt, no citation', async () => {
    const before = h.llm().requests.length;
    h.llm().script({ text: 'Не знаю.' });
    const answer = await reply(group, anna, 'Кракен, сколько стоит годовая подписка на журнал?');
    expect(answer).toBe('Не знаю.');
    const sent = prompt(h.llm().requests[before]);
    expect(sent).toContain(NO_KNOWLEDGE_INSTRUCTION);
    expect(sent).not.toContain('[📎'); // no excerpt (Kraken's earlier cited answer may be in the context)
  });

  it('/kb ask shows what retrieval found with scores; tsquery characters are plain words', async () => {
    const shown = await reply({ id: admin.id }, admin, `/kb ask ${group.id} где парковка?`);
    expect(shown).toMatch(/✅ \d\.\d{3} — 📎 parking, §1 \(Парковка\)/);
    const odd = await reply({ id: admin.id }, admin, `/kb ask ${group.id} парковка & | ! :* ' "`);
    expect(odd).toContain('parking');
  });

  it('under the quiet policy a question the knowledge base answers well is answered at once, others wait', async () => {
    const covered = await h.send(group, anna, 'Где бесплатная парковка для участников после 18:00?');
    const started = Date.now();
    await h.waitForReplies(group.id, covered.message_id, 1, 10_000);
    expect(Date.now() - started).toBeLessThan(25_000); // CHAT_QUIET_SECONDS is 30
    const other = await h.send(group, anna, 'Кто-нибудь видел мой синий зонт вчера?');
    await new Promise((r) => setTimeout(r, 1500));
    expect(h.repliesTo(group.id, other.message_id)).toHaveLength(0);
    expect(await h.queue('chat-answers').getJob(`ans-${group.id}-${other.message_id}`).then((j) => j?.isDelayed())).toBe(true);
  });

  it('/kb remove deletes a document; afterwards the chat has none of its own', async () => {
    const list = await reply({ id: admin.id }, admin, `/kb list ${group.id}`);
    const ids = [...list.matchAll(/#(\d+) (rules|parking)/g)].map((m) => m[1]);
    for (const id of ids) expect(await reply({ id: admin.id }, admin, `/kb remove ${id}`)).toMatch(/^Удалено: #\d+/);
    expect(await reply({ id: anna.id }, anna, '/kb remove 99999')).toBe('Документа #99999 нет.');
    expect(await reply({ id: admin.id }, admin, `/kb list ${group.id}`)).not.toContain('rules');
  });
});
