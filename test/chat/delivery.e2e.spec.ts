import { ChatHarness } from './chat-harness';

const anna = { id: 902, first_name: 'Anna' };

describe('delivery through the outbox', () => {
  const h = new ChatHarness();
  beforeAll(() => h.start());
  afterEach(() => h.llms.forEach((l) => l.reset()));
  afterAll(() => h.stop());

  it('Telegram 429 on the reply → sent after retry_after, once', async () => {
    const chat = { id: -4101 };
    h.emulator.injectFailure({ method: 'sendMessage', chatId: chat.id, errorCode: 429, retryAfter: 1 });
    const started = Date.now();
    const ask = await h.send(chat, anna, 'Кракен, ответь через паузу');
    await h.waitForReplies(chat.id, ask.message_id, 1, 10_000);
    expect(Date.now() - started).toBeGreaterThanOrEqual(1000);
    const attempts = h.emulator.calls('sendMessage').filter((c) => Number(c.params.chat_id) === chat.id);
    expect(attempts.map((c) => c.response.status)).toEqual([429, 200]);
  });

  it("400 can't parse entities → the same part resent as plain text", async () => {
    const chat = { id: -4102 };
    h.llm().script({ text: 'Это **важно**: a < b' });
    h.emulator.injectFailure({ method: 'sendMessage', chatId: chat.id, errorCode: 400, description: "Bad Request: can't parse entities: Unsupported start tag" });
    const ask = await h.send(chat, anna, 'Кракен, сравни');
    const [reply] = await h.waitForReplies(chat.id, ask.message_id);
    expect(reply.params.parse_mode).toBeUndefined();
    expect(reply.params.text).toBe('Это важно: a < b');
    const attempts = h.emulator.calls('sendMessage').filter((c) => Number(c.params.chat_id) === chat.id);
    expect(attempts.map((c) => [c.response.status, c.params.parse_mode])).toEqual([[400, 'HTML'], [200, undefined]]);
  });

  it('a 10,000-character answer arrives as ordered parts under 4,096 each, the first quoting the trigger', async () => {
    const chat = { id: -4103 };
    const paragraphs = Array.from({ length: 50 }, (_, i) => `**${i}.** ${'Очень подробный ответ. '.repeat(9).trim()}`);
    const text = paragraphs.join('\n\n');
    expect(text.length).toBeGreaterThanOrEqual(10_000);
    h.llm().script({ text });
    const ask = await h.send(chat, anna, 'Кракен, расскажи всё подробно');
    await h.waitForReplies(chat.id, ask.message_id);
    await h.idle();
    const parts = h.emulator.calls('sendMessage').filter((c) => Number(c.params.chat_id) === chat.id && c.response.status === 200);
    expect(parts.length).toBeGreaterThanOrEqual(3);
    for (const part of parts) expect(String(part.params.text).length).toBeLessThan(4096);
    expect(parts.map((p) => Boolean(p.params.reply_parameters))).toEqual([true, ...parts.slice(1).map(() => false)]);
    const shown = parts.map((p) => String(p.params.text).replace(/<\/?b>/g, '')).join('\n\n');
    expect(shown).toBe(text.replace(/\*\*/g, ''));
  });
});
