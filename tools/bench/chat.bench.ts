import type { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { countMessagesTokens, type LlmMessage } from '@kraken/llm';
import { BotApiEmulator, FakeLlmServer } from '@kraken/testing';
import { getBotToken } from 'nestjs-telegraf';
import type { Telegraf } from 'telegraf';
import { BENCH_REDIS_URL, benchDatabase, benchPrefix, percentile } from './bench-env';

/** Results of the chat benchmark. */
export interface ChatFigures {
  /** Messages in the chat's 2-hour context. */
  historyMessages: number;
  /** Mean prompt tokens of Kraken's requests (gpt-tokenizer, as received by the LLM). */
  promptTokensPerAnswer: number;
  /** Tokens of the naive prompt: persona + the whole 2-hour history + the question. */
  naivePromptTokens: number;
  triggers: number;
  /** Trigger (update handed to the gateway) → request arriving at the LLM, in ms. */
  overheadP50Ms: number;
  overheadP99Ms: number;
}

const TOKEN = '123456:bench-chat';
const CHAT_ID = -100_555;
const WORDS = ['релиз', 'встреча', 'сервер', 'кофе', 'документация', 'баг', 'пятница', 'деплой', 'ревью', 'митап', 'очередь', 'база', 'тест'];

/** A deterministic chat message of 3–60 words (mean ≈ 100 characters). */
function chatText(i: number): string {
  const length = 3 + ((i * 7919) % 58) * ((i % 5) === 0 ? 1 : 0.3);
  return Array.from({ length: Math.round(length) }, (_, j) => WORDS[(i * 31 + j * 17) % WORDS.length]).join(' ');
}

/**
 * The chat feature end to end in this process: the real gateway module (Telegraf handlers, outbox
 * worker) and llm-worker module on a private Redis prefix and database, the Bot API emulator and a
 * fake OpenAI-compatible server. A chat gets `history` messages spread over the last 2 hours, then
 * `triggers` questions addressed to Kraken are sent one after another. Reported: the mean prompt
 * size Kraken sends (default budget 1,500 tokens) against a naive prompt holding the whole history,
 * and the time from handing the update to the gateway to the LLM receiving the request (p50/p99).
 */
export async function benchChat(options = { history: 500, triggers: 200 }): Promise<ChatFigures> {
  const emulator = new BotApiEmulator({ token: TOKEN, firstMessageId: 1_000_000 });
  const llm = new FakeLlmServer();
  const db = await benchDatabase();
  const arrivals: number[] = [];
  llm.respond = () => {
    arrivals.push(performance.now());
    return { text: 'Коротко: всё по плану.' };
  };
  Object.assign(process.env, {
    NODE_ENV: 'production', LOG_LEVEL: 'error', REDIS_URL: BENCH_REDIS_URL, QUEUE_PREFIX: benchPrefix(), DATABASE_URL: db.url,
    BOT_TOKEN: TOKEN, TELEGRAM_API_ROOT: await emulator.start(), TELEGRAM_MODE: 'webhook', WEBHOOK_SECRET: 'bench-secret_token',
    LLM_PROVIDERS: 'bench', LLM_BENCH_BASE_URL: await llm.start(), LLM_BENCH_API_KEY: 'sk-bench',
    // Spend and answer caps off for the measurement: it times the path, not the limits.
    CHAT_USER_LIMIT: '1000000', CHAT_ANSWERS_PER_HOUR: '1000000', LLM_BUDGET_CHAT_DAILY_USD: '1000000', LLM_BUDGET_CHAT_MONTHLY_USD: '1000000',
    LLM_BUDGET_DAILY_USD: '1000000', LLM_BUDGET_MONTHLY_USD: '1000000', OUTBOX_CHAT_PER_SECOND: '1000', OUTBOX_GROUP_PER_MINUTE: '100000', OUTBOX_GLOBAL_PER_SECOND: '10000', HEALTH_PORT: '0',
  });
  const apps: INestApplication[] = [];
  try {
    const { GatewayModule } = await import('../../apps/gateway/src/gateway.module');
    const { IngestService } = await import('../../apps/gateway/src/updates/ingest.service');
    const { LlmWorkerModule } = await import('../../apps/llm-worker/src/llm-worker.module');
    const { PERSONA } = await import('../../apps/llm-worker/src/chat-worker.providers');
    const gateway = await NestFactory.create(GatewayModule, { logger: false });
    gateway.get<Telegraf>(getBotToken()).stop = () => undefined;
    apps.push(gateway);
    await gateway.init();
    const worker = await NestFactory.create(LlmWorkerModule, { logger: false });
    apps.push(worker);
    await worker.init();
    const ingest = gateway.get(IngestService);

    const now = Math.floor(Date.now() / 1000);
    const chat = { id: CHAT_ID, type: 'supergroup', title: 'Bench' };
    const history = Array.from({ length: options.history }, (_, i) => ({
      message_id: i + 1,
      date: now - 7200 + Math.floor((i * 7190) / options.history),
      chat,
      from: { id: 1000 + (i % 40), is_bot: false, first_name: `User${i % 40}` },
      text: chatText(i),
    }));
    let updateId = 1;
    for (const message of history) await ingest.ingest({ update_id: updateId++, message });
    const persona = worker.get<string>(PERSONA);

    // The first answer loads the tokenizer's rank tables (~250 ms, once per process): warm up first.
    const overhead: number[] = [];
    for (let i = -1; i < options.triggers; i++) {
      const message = { message_id: options.history + 2 + i, date: now, chat, from: { id: 7, is_bot: false, first_name: 'Asker' }, text: `Кракен, что решили про ${WORDS[(i + WORDS.length) % WORDS.length]} (вопрос ${i})?` };
      const started = performance.now();
      await ingest.ingest({ update_id: updateId++, message });
      await waitFor(() => arrivals.length > i + 1);
      if (i >= 0) overhead.push(arrivals[i + 1] - started);
      await waitFor(() => emulator.calls('sendMessage').length > i + 1);
    }
    const sent = llm.requests.slice(1).map((r) => countMessagesTokens(r.body.messages as LlmMessage[], r.body.model));
    const naive: LlmMessage[] = [
      { role: 'system', content: persona },
      { role: 'user', content: `${history.map((m) => `#${m.message_id} ${m.from.first_name}: ${m.text}`).join('\n')}\n\nКракен, что решили про релиз?` },
    ];
    return {
      historyMessages: options.history,
      promptTokensPerAnswer: sent.reduce((a, b) => a + b, 0) / sent.length,
      naivePromptTokens: countMessagesTokens(naive, 'gpt-4o-mini'),
      triggers: options.triggers,
      overheadP50Ms: percentile(overhead, 50),
      overheadP99Ms: percentile(overhead, 99),
    };
  } finally {
    for (const app of apps.reverse()) await app.close();
    await emulator.stop();
    await llm.stop();
    await db.drop();
  }
}

async function waitFor(condition: () => boolean, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('chat bench: timed out');
    await new Promise((resolve) => setImmediate(resolve));
  }
}
