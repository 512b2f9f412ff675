import { QueueName } from '@kraken/contracts';
import { ChatHarness } from './chat-harness';

const anna = { id: 901, first_name: 'Anna' };

describe('LLM failures: retries, fallback, one apology', () => {
  const h = new ChatHarness();
  beforeAll(() => h.start({ providers: 2, env: { LLM_MAX_RETRIES: '1', CHAT_APOLOGY_INTERVAL_SECONDS: '600' } }));
  afterEach(() => h.llms.forEach((l) => l.reset()));
  afterAll(() => h.stop());

  it('LLM 429 then success → one reply', async () => {
    const chat = { id: -4001 };
    h.llm(0).script({ status: 429, retryAfterMs: 20 }, { text: 'Ответ после 429' });
    const ask = await h.send(chat, anna, 'Кракен, привет');
    const [reply] = await h.waitForReplies(chat.id, ask.message_id);
    await h.idle();
    expect(reply.params.text).toBe('Ответ после 429');
    expect(h.repliesTo(chat.id, ask.message_id)).toHaveLength(1);
    expect(h.llm(0).requests).toHaveLength(2);
    expect(h.llm(1).requests).toHaveLength(0);
  });

  it('provider A down → provider B answers', async () => {
    const chat = { id: -4002 };
    h.llm(0).respond = () => ({ status: 503, message: 'A is down' });
    h.llm(1).script({ text: 'Отвечает B' });
    const ask = await h.send(chat, anna, 'Кракен, кто ответит?');
    const [reply] = await h.waitForReplies(chat.id, ask.message_id);
    expect(reply.params.text).toBe('Отвечает B');
  });

  it('all providers down → one apology per interval, the job failed with the reasons, not retried', async () => {
    const chat = { id: -4003 };
    h.llm(0).respond = () => ({ status: 500, message: 'A broke' });
    h.llm(1).respond = () => ({ status: 502, message: 'B broke' });
    const first = await h.send(chat, anna, 'Кракен, ты тут?');
    const [apology] = await h.waitForReplies(chat.id, first.message_id);
    expect(apology.params.text).toBe('Прости, сейчас не могу ответить: языковая модель недоступна. Попробуй чуть позже.');
    const second = await h.send(chat, anna, 'Кракен, а сейчас?');
    await h.idle();
    expect(h.repliesTo(chat.id, second.message_id)).toHaveLength(0);
    const failed = await h.queue(QueueName.ChatAnswers).getFailed();
    const job = failed.find((j) => j.id === `ans-${chat.id}-${first.message_id}`)!;
    expect(job.failedReason).toMatch(/every LLM provider failed: a \(gpt-4o-mini\): 500 A broke; b \(gpt-4o-mini\): 502 B broke/);
    expect(job.attemptsMade).toBe(1);
    expect(h.llm(0).requests).toHaveLength(4); // two triggers × (1 try + LLM_MAX_RETRIES=1)
  });
});
