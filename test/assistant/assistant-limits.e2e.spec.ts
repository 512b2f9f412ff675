import { QueueName } from '@kraken/contracts';
import { FakeLlmServer, type RecordedCall } from '@kraken/testing';
import { Queue } from 'bullmq';
import { Client } from 'pg';
import { Deployment, SECRET } from '../ops/support/deployment';
import { postUpdate } from '../support/processes';

const CAROL = { id: 7201, is_bot: false, first_name: 'Кэрол', language_code: 'ru' };
const DAVE = { id: 7202, is_bot: false, first_name: 'Dave', language_code: 'en' };
const ERIN = { id: 7203, is_bot: false, first_name: 'Эрин', language_code: 'ru' };
/** The answer's output limit; the fake reports this many completion tokens and 1,000 prompt tokens. */
const MAX_TOKENS = 1000;
/** gpt-4o-mini in config/models.json: 0.15 USD per 1M input, 0.6 per 1M output → 0.00075 USD a call as reported. */
const REPORTED_CALL_USD = (1000 * 0.15 + MAX_TOKENS * 0.6) / 1_000_000;
/** Carol's daily budget: three reported calls fit (0.00225), a fourth's worst case (≈ 0.0006) does not. */
const CAROL_DAILY_USD = 0.0025;

type User = typeof CAROL;
type Sent = Record<string, any>;

/**
 * Issue 11 items 10 and 11 on the apps as processes (gateway, llm-worker) with the Bot API emulator,
 * the fake LLM, PostgreSQL and Redis: a user's own budget holds under 50 concurrent questions, a
 * second question waits for the first, and `/cancel` aborts the running LLM call.
 */
describe('the private assistant: budgets, one request at a time, /cancel', () => {
  const llm = new FakeLlmServer();
  let deployment: Deployment;
  let db: Client;
  let updateId = 1;
  let messageId = 900;

  const privateChat = (user: User) => ({ id: user.id, type: 'private', first_name: user.first_name });
  const send = async (user: User, text: string): Promise<Sent> => {
    const command = text.startsWith('/') ? { entities: [{ type: 'bot_command', offset: 0, length: text.split(' ')[0].length }] } : {};
    const message = { message_id: messageId++, date: Math.floor(Date.now() / 1000), chat: privateChat(user), from: user, text, ...command };
    expect(await postUpdate(deployment.webhook, SECRET, { update_id: updateId++, message })).toBe(200);
    return message;
  };
  const isReplyTo = (c: RecordedCall, message: Sent) =>
    c.method === 'sendMessage' && c.response.status === 200 && Number(c.params.chat_id) === message.chat.id && (c.params.reply_parameters as { message_id?: number } | undefined)?.message_id === message.message_id;
  const replyTo = async (message: Sent, timeoutMs = 60_000): Promise<RecordedCall> => (await deployment.emulator.waitFor((c) => isReplyTo(c, message), { timeoutMs }))[0];
  const userCounter = async (user: User) => {
    const { rows } = await db.query<{ usd: string }>(`SELECT "usd"::text FROM "LlmBudgetCounter" WHERE "scope" = $1 AND "period" LIKE 'day:%'`, [`user:tg:${user.id}`]);
    return rows.length === 0 ? 0 : Number(rows[0].usd);
  };
  const requestsOf = (question: RegExp) => llm.requests.filter((r) => question.test(String(r.body.messages.at(-1)?.content)));

  beforeAll(async () => {
    await llm.start();
    deployment = await Deployment.start({
      workers: 0,
      emulator: { bot: { username: 'KrakenLimitsBot', first_name: 'Kraken' } },
      env: {
        LLM_PROVIDERS: 'fake',
        LLM_FAKE_BASE_URL: llm.baseUrl,
        LLM_FAKE_API_KEY: 'sk-fake',
        CHAT_MODEL: 'gpt-4o-mini',
        ASSISTANT_ANSWER_MAX_TOKENS: String(MAX_TOKENS),
        CHAT_PRIVATE_USER_LIMIT: '1000',
        CHAT_ANSWERS_PER_HOUR: '1000',
        OUTBOX_CHAT_PER_SECOND: '30',
        LOG_LEVEL: 'warn',
      },
    });
    await deployment.startLlmWorker();
    db = new Client({ connectionString: deployment.env.DATABASE_URL });
    await db.connect();
    llm.respond = (request) => ({ text: `Answer #${request.seq}`, usage: { prompt_tokens: 1000, completion_tokens: MAX_TOKENS } });
  }, 120_000);

  afterAll(async () => {
    await db?.end();
    await deployment?.stop();
    await llm.stop();
  });

  test('50 concurrent questions from one user with budget for 3: three LLM calls, 47 polite refusals with the reset time', async () => {
    await db.query(`INSERT INTO "AssistantUserBudget" ("userId", "dailyUsd") VALUES ($1, $2)`, [CAROL.id, CAROL_DAILY_USD]);
    const questions = await Promise.all(Array.from({ length: 50 }, (_, i) => send(CAROL, `Вопрос номер ${i}`)));
    const replies = await Promise.all(questions.map((q) => replyTo(q, 110_000)));

    expect(requestsOf(/^Вопрос номер \d+$/)).toHaveLength(3);
    const answers = replies.filter((r) => /^Answer #\d+$/.test(String(r.params.text)));
    const refusals = replies.filter((r) => String(r.params.text).startsWith('Извините, ваш дневной лимит на ассистента исчерпан. Он обновится '));
    expect(answers).toHaveLength(3);
    expect(refusals).toHaveLength(47);
    expect(String(refusals[0].params.text)).toMatch(/\d{2}:\d{2} \([A-Za-z_/]+\)\.$/);
    // Settled with the reported usage, never past the limit, no reservation left behind.
    expect(await userCounter(CAROL)).toBeCloseTo(3 * REPORTED_CALL_USD, 9);
    expect(await userCounter(CAROL)).toBeLessThanOrEqual(CAROL_DAILY_USD);
    expect((await db.query(`SELECT 1 FROM "LlmBudgetReservation"`)).rowCount).toBe(0);
  }, 150_000);

  test('a second question while the first is slow waits its turn and is answered after it, in the same session', async () => {
    llm.script({ text: 'Slow first answer', delayMs: 2500, usage: { prompt_tokens: 10, completion_tokens: 5 } });
    const before = llm.requests.length;
    const first = await send(DAVE, 'First question');
    await llm.waitUntil(() => llm.requests.length === before + 1, 10_000);
    const second = await send(DAVE, 'Second question');
    await new Promise((resolve) => setTimeout(resolve, 1500));
    // The second is not sent to the LLM while the first runs.
    expect(llm.requests.length).toBe(before + 1);

    const [firstReply, secondReply] = [await replyTo(first), await replyTo(second)];
    expect(firstReply.params.text).toBe('Slow first answer');
    expect(secondReply.params.text).toMatch(/^Answer #\d+$/);
    expect(secondReply.seq).toBeGreaterThan(firstReply.seq);
    const secondRequest = requestsOf(/^Second question$/)[0];
    expect(secondRequest.body.messages.slice(1).map((m) => `${m.role}: ${m.content}`)).toEqual(['user: First question', 'assistant: Slow first answer', 'user: Second question']);
  }, 60_000);

  test('/cancel during a slow call aborts it: no answer, the job ends cancelled, nothing billed; /cancel with nothing running says so', async () => {
    await db.query(`INSERT INTO "AssistantUserBudget" ("userId", "dailyUsd") VALUES ($1, 1)`, [ERIN.id]);
    llm.script({ text: 'This answer must never arrive', delayMs: 20_000 });
    const before = llm.requests.length;
    const question = await send(ERIN, 'Долгий вопрос');
    await llm.waitUntil(() => llm.requests.length === before + 1, 10_000);
    const request = llm.requests[before];
    const cancel = await send(ERIN, '/cancel');

    await llm.waitUntil(() => request.aborted, 10_000, () => 'the fake LLM request was not aborted');
    const confirmation = await replyTo(question, 10_000);
    expect(confirmation.params.text).toBe('Запрос отменён.');

    const queue = new Queue(QueueName.Assistant, { connection: { url: deployment.env.REDIS_URL }, prefix: deployment.env.QUEUE_PREFIX });
    try {
      const job = await queue.getJob(`ast-${ERIN.id}-${question.message_id}`);
      expect(await job!.getState()).toBe('completed');
      expect(job!.returnvalue).toEqual({ sent: 'cancelled' });
    } finally {
      await queue.close();
    }
    expect(await userCounter(ERIN)).toBe(0);
    expect((await db.query(`SELECT 1 FROM "LlmBudgetReservation"`)).rowCount).toBe(0);
    expect((await db.query(`SELECT 1 FROM "LlmUsage" WHERE "requestKey" = $1`, [`ast-${ERIN.id}-${question.message_id}`])).rowCount).toBe(0);
    // The /cancel itself gets no reply of its own (the request confirmed), and no answer ever comes.
    await new Promise((resolve) => setTimeout(resolve, 1000));
    expect(deployment.emulator.calls((c) => isReplyTo(c, question))).toHaveLength(1);
    expect(deployment.emulator.calls((c) => isReplyTo(c, cancel))).toHaveLength(0);

    const idle = await send(ERIN, '/cancel');
    expect((await replyTo(idle, 30_000)).params.text).toBe('Сейчас нечего отменять.');
  }, 60_000);
});
