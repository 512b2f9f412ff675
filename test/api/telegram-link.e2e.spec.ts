import { LINK_TEXTS } from '@kraken/auth';
import { escapeHtml } from '@kraken/chat';
import { ChatHarness } from '../chat/chat-harness';
import { ApiHarness, expectErrorShape } from './api-harness';

const t = LINK_TEXTS.ru;
const GROUP = { id: -1001234, title: 'Linking group' };

/**
 * Issue 12: `/link <code>` through the real gateway (webhook path), the llm-worker and the outbox to the
 * Bot API emulator, with the API in the same deployment (database, Redis prefix).
 */
describe('linking Telegram to an API account', () => {
  const chat = new ChatHarness();
  const api = new ApiHarness();
  beforeAll(async () => {
    // A private chat's daily LLM budget of $0.002: one bot answer of 10,000 prompt tokens ($0.0015) leaves less than an API question's worst case.
    await chat.start({ env: { LLM_BUDGET_CHAT_DAILY_USD: '0.002' } });
    await api.start({ shared: { databaseUrl: chat.env.DATABASE_URL, prefix: chat.env.QUEUE_PREFIX }, env: { LLM_BUDGET_CHAT_DAILY_USD: '0.002' } });
  });
  afterAll(async () => {
    await api.stop();
    await chat.stop();
  });

  /** Sends `text` from Telegram user `userId` in a private chat and returns the bot's reply text. */
  async function sendPrivate(userId: number, text: string, chatRef: { id: number; title?: string } = { id: userId }): Promise<string> {
    const message = await chat.send(chatRef, { id: userId, first_name: `User ${userId}` }, text);
    const [reply] = await chat.waitForReplies(chatRef.id, message.message_id);
    return String(reply.params.text);
  }

  async function linkCode(token: string): Promise<string> {
    const res = await api.request('POST', '/users/me/telegram-link', { token });
    expect(res.status).toBe(201);
    expect(res.body).toEqual({ code: expect.stringMatching(/^[0-9A-HJKMNP-TV-Z]{8}$/), command: `/link ${res.body.code}`, expiresAt: expect.any(String) });
    expect(Date.parse(res.body.expiresAt) - Date.now()).toBeGreaterThan(590_000);
    return res.body.code;
  }

  it('a code sent in private attaches the Telegram user; the code works once', async () => {
    const account = await api.account({ name: 'Ada <Admin>' });
    const code = await linkCode(account.accessToken);
    expect(await sendPrivate(7001, `/link ${code.toLowerCase().replace(/(.{4})/, '$1-')}`)).toBe(t.linked('Ada &lt;Admin&gt;'));
    const me = (await api.request('GET', '/users/me', { token: account.accessToken })).body;
    expect(me).toMatchObject({ telegramUserId: 7001, telegramLinkedAt: expect.any(String) });
    expect(await sendPrivate(7002, `/link ${code}`)).toBe(t.invalid);
    expect(chat.llm().requests).toHaveLength(0);
  });

  it('refuses wrong codes and, after 5 tries, everything from that user for a while', async () => {
    const account = await api.account();
    const code = await linkCode(account.accessToken);
    expect(await sendPrivate(7003, '/link')).toBe(escapeHtml(t.usage));
    for (let i = 0; i < 5; i++) expect(await sendPrivate(7003, `/link ZZZZZZZ${i}`)).toBe(t.invalid);
    expect(await sendPrivate(7003, `/link ${code}`)).toBe(t.tooMany);
    expect((await api.request('GET', '/users/me', { token: account.accessToken })).body.telegramUserId).toBeNull();
  });

  it('a code shown in a group is burnt and the sender is sent to a private chat', async () => {
    const account = await api.account();
    const code = await linkCode(account.accessToken);
    expect(await sendPrivate(7004, `/link ${code}`, GROUP)).toBe(t.privateOnly);
    expect(await sendPrivate(7004, `/link ${code}`)).toBe(t.invalid);
  });

  it('a new code replaces the previous one', async () => {
    const account = await api.account();
    const first = await linkCode(account.accessToken);
    const second = await linkCode(account.accessToken);
    expect(await sendPrivate(7005, `/link ${first}`)).toBe(t.invalid);
    expect(await sendPrivate(7005, `/link ${second}`)).toMatch(/^Готово/);
  });

  it('a Telegram user linked to one account cannot be linked to another', async () => {
    const first = await api.account();
    const second = await api.account();
    expect(await sendPrivate(7006, `/link ${await linkCode(first.accessToken)}`)).toMatch(/^Готово/);
    expect(await sendPrivate(7006, `/link ${await linkCode(second.accessToken)}`)).toBe(t.taken);
    expect((await api.request('GET', '/users/me', { token: second.accessToken })).body.telegramUserId).toBeNull();
  });

  it('once linked, questions count on the private chat’s budget and usage, shared with the bot; unlinking restores the account’s own', async () => {
    const account = await api.account();
    expect(await sendPrivate(7007, `/link ${await linkCode(account.accessToken)}`)).toMatch(/^Готово/);
    const asked = await api.request('POST', '/questions', { token: account.accessToken, body: { text: 'linked question' } });
    expect(asked.status).toBe(201);
    const usage = await api.prisma!.llmUsage.findUniqueOrThrow({ where: { requestKey: `api-${asked.body.id}` } });
    expect(usage).toMatchObject({ userId: 7007n, chatId: 7007n, purpose: 'api' });
    const counters = await api.prisma!.llmBudgetCounter.findMany({ where: { scope: { in: ['chat:7007', 'user:tg:7007'] } } });
    expect(counters.map((c) => `${c.scope} ${c.period.split(':')[0]}`).sort()).toEqual(['chat:7007 day', 'chat:7007 month', 'user:tg:7007 day', 'user:tg:7007 month']);
    // The bot answers this person in private: $0.0015 of the chat's $0.002 for today.
    chat.llm().script({ text: 'Ответ бота.', usage: { prompt_tokens: 10_000, completion_tokens: 0 } });
    const message = await chat.send({ id: 7007 }, { id: 7007, first_name: 'User 7007' }, 'Кракен, привет!');
    await chat.waitForReplies(7007, message.message_id);
    const refused = await api.request('POST', '/questions', { token: account.accessToken, body: { text: 'over the shared budget?' } });
    expectErrorShape(refused, 429);
    expect(refused.body.message).toMatch(/^your Telegram chat’s \(shared with the bot\) daily LLM budget of \$0.002 is used up/);
    const unlinked = await api.request('DELETE', '/users/me/telegram-link', { token: account.accessToken });
    expect(unlinked.body).toMatchObject({ telegramUserId: null, telegramLinkedAt: null });
    expect((await api.request('POST', '/questions', { token: account.accessToken, body: { text: 'own budget again' } })).status).toBe(201);
  });

  it('POST /users/me/telegram-link needs a token', async () => {
    expectErrorShape(await api.request('POST', '/users/me/telegram-link'), 401);
  });
});
