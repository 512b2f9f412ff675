import type { INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { QueueName } from '@kraken/contracts';
import { BotApiEmulator, createTestDatabase, FakeLlmServer, type RecordedCall, type TestDatabase } from '@kraken/testing';
import { Queue } from 'bullmq';
import { getBotToken } from 'nestjs-telegraf';
import type { Telegraf } from 'telegraf';
import { dropPrefix, TEST_REDIS_URL, uniquePrefix } from '../support/redis';

/** Bot token of the harness; the emulator derives the bot id (123456) from it. */
export const TOKEN = '123456:CHAT-test';
export const BOT_ID = 123456;
/** The emulator's getMe username for the token. */
export const BOT_USERNAME = 'KrakenTestBot';

/** A controllable clock in ms, shared by the worker (context window, prompt time) and the emulator. */
export class TestClock {
  constructor(public ms = Date.now()) {}
  readonly now = (): number => this.ms;
  advance(ms: number): void {
    this.ms += ms;
  }
}

/** A Telegram user for test messages. */
export interface TestUser {
  id: number;
  first_name: string;
  is_bot?: boolean;
}

/** Options of ChatHarness.start. */
export interface ChatHarnessOptions {
  /** Extra environment (overrides the defaults below). */
  env?: Record<string, string>;
  /** Number of fake LLM providers configured (`a`, `b` …); 0 for "no LLM key". Default 1. */
  providers?: number;
  /** Run the llm-worker in this process (default true). */
  worker?: boolean;
}

/**
 * One isolated Kraken deployment in this jest process: the real gateway module (Telegraf handlers,
 * outbox worker) and the real llm-worker module, on a private Redis prefix and a throw-away database,
 * talking to the Bot API emulator and fake OpenAI-compatible servers, with a controllable clock.
 * Updates go in through the gateway's IngestService (what the webhook controller calls).
 *
 * One harness per spec file: the apps' ConfigModule reads process.env when their module files are
 * first imported, and jest keeps one module registry per file.
 */
export class ChatHarness {
  readonly clock = new TestClock();
  readonly emulator = new BotApiEmulator({ token: TOKEN, bot: { username: BOT_USERNAME }, firstMessageId: 1_000_000, clock: () => this.clock.now() });
  readonly llms: FakeLlmServer[] = [];
  env: Record<string, string> = {};
  gateway?: INestApplication;
  worker?: INestApplication;
  private db?: TestDatabase;
  private updateId = 1;
  private readonly nextMessageId = new Map<number, number>();
  private readonly queues = new Map<string, Queue>();

  /** Starts everything; process.env is set before the app modules are loaded (ConfigModule reads it then). */
  async start(options: ChatHarnessOptions = {}): Promise<this> {
    const apiRoot = await this.emulator.start();
    const providers = options.providers ?? 1;
    const names = ['a', 'b', 'c'].slice(0, providers);
    for (let i = 0; i < providers; i++) {
      const llm = new FakeLlmServer();
      await llm.start();
      this.llms.push(llm);
    }
    this.db = await createTestDatabase();
    this.env = {
      NODE_ENV: 'test',
      LOG_LEVEL: 'warn',
      REDIS_URL: TEST_REDIS_URL,
      QUEUE_PREFIX: uniquePrefix('kchat'),
      DATABASE_URL: this.db.url,
      BOT_TOKEN: TOKEN,
      TELEGRAM_API_ROOT: apiRoot,
      TELEGRAM_MODE: 'webhook',
      WEBHOOK_SECRET: 'chat-secret_token',
      // The machine running the suite may be loaded; a slow Redis answer must not fail a chat test.
      ENQUEUE_TIMEOUT_MS: '10000',
      KRAKEN_TIMEZONE: 'Europe/Moscow',
      LLM_PROVIDERS: names.length ? names.join(',') : 'openai',
      LLM_TIMEOUT_MS: '2000',
      LLM_MAX_RETRIES: '1',
      CHAT_QUIET_SECONDS: '1',
      CHAT_QUESTION_COOLDOWN_SECONDS: '0',
      CHAT_USER_LIMIT: '100',
      OUTBOX_CHAT_PER_SECOND: '30',
      OUTBOX_GROUP_PER_MINUTE: '1000',
      LLM_WORKER_LOCK_MS: '5000',
      HEALTH_PORT: '0',
      ...Object.fromEntries(names.flatMap((name, i) => [[`LLM_${name.toUpperCase()}_BASE_URL`, this.llms[i].baseUrl], [`LLM_${name.toUpperCase()}_API_KEY`, `sk-${name}`]])),
      ...options.env,
    };
    for (const key of Object.keys(process.env)) if (key.startsWith('LLM_') || key.startsWith('CHAT_')) delete process.env[key];
    Object.assign(process.env, this.env);
    const { GatewayModule } = await import('../../apps/gateway/src/gateway.module');
    this.gateway = (await Test.createTestingModule({ imports: [GatewayModule] }).compile()).createNestApplication({ logger: ['error'] });
    // As in apps/gateway/src/main.ts: in webhook mode Telegraf was never launched, so there is nothing to stop.
    this.gateway.get<Telegraf>(getBotToken()).stop = () => undefined;
    await this.gateway.init();
    if (options.worker ?? true) await this.startWorker();
    return this;
  }

  /** Starts the in-process llm-worker with the harness clock. */
  async startWorker(): Promise<INestApplication> {
    const { LlmWorkerModule } = await import('../../apps/llm-worker/src/llm-worker.module');
    const { CLOCK } = await import('../../apps/llm-worker/src/chat-worker.providers');
    const moduleRef = await Test.createTestingModule({ imports: [LlmWorkerModule] }).overrideProvider(CLOCK).useValue(this.clock.now).compile();
    this.worker = moduleRef.createNestApplication({ logger: ['error'] });
    await this.worker.init();
    return this.worker;
  }

  /** The fake LLM provider number `i` (0 = first in LLM_PROVIDERS). */
  llm(i = 0): FakeLlmServer {
    return this.llms[i];
  }

  /**
   * Delivers a `message` update to the gateway, as the webhook would.
   * @returns the message (with its assigned message_id)
   */
  async send(chat: { id: number; type?: string; title?: string }, from: TestUser, text: string, extra: Record<string, unknown> = {}): Promise<Record<string, any>> {
    const messageId = this.nextMessageId.get(chat.id) ?? 1;
    this.nextMessageId.set(chat.id, messageId + 1);
    const message = {
      message_id: messageId,
      date: Math.floor(this.clock.now() / 1000),
      chat: { type: chat.id > 0 ? 'private' : 'supergroup', ...(chat.id < 0 ? { title: chat.title ?? `Chat ${chat.id}` } : { first_name: from.first_name }), ...chat },
      from: { is_bot: false, ...from },
      text,
      ...extra,
    };
    await this.ingest({ update_id: this.updateId++, message });
    return message;
  }

  /** Feeds a raw update through the gateway. */
  async ingest(update: Record<string, unknown>): Promise<void> {
    const { IngestService } = await import('../../apps/gateway/src/updates/ingest.service');
    await this.gateway!.get(IngestService).ingest(update);
  }

  /** The bot's reply-to object of a message the bot sent, for reply triggers. */
  botMessage(call: RecordedCall): Record<string, any> {
    return (call.response.body as { result: Record<string, any> }).result;
  }

  /** sendMessage calls Telegram accepted that reply to `messageId` in `chatId`. */
  repliesTo(chatId: number, messageId: number): RecordedCall[] {
    return this.emulator
      .calls('sendMessage')
      .filter((c) => c.response.status === 200 && Number(c.params.chat_id) === chatId && (c.params.reply_parameters as { message_id?: number } | undefined)?.message_id === messageId);
  }

  /** Waits until `count` accepted replies to `messageId` exist. @throws on timeout. */
  async waitForReplies(chatId: number, messageId: number, count = 1, timeoutMs = 10_000): Promise<RecordedCall[]> {
    const deadline = Date.now() + timeoutMs;
    while (this.repliesTo(chatId, messageId).length < count) {
      if (Date.now() > deadline) throw new Error(`expected ${count} replies to ${chatId}/${messageId}, got ${this.repliesTo(chatId, messageId).length}`);
      await new Promise((r) => setTimeout(r, 25));
    }
    return this.repliesTo(chatId, messageId);
  }

  /** A queue of this deployment (for inspection). */
  queue(name: string): Queue {
    let queue = this.queues.get(name);
    if (!queue) {
      queue = new Queue(name, { connection: { host: '127.0.0.1', port: Number(new URL(TEST_REDIS_URL).port || 6379) }, prefix: this.env.QUEUE_PREFIX });
      this.queues.set(name, queue);
    }
    return queue;
  }

  /** Waits until the chat queues, the assistant's and the outbox have nothing waiting, active, delayed or waiting for children. */
  async idle(timeoutMs = 15_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    let quiet = 0;
    while (quiet < 3) {
      const counts = await Promise.all(
        [QueueName.ChatAnswers, QueueName.ChatContext, QueueName.Assistant, QueueName.Outbox].map((q) => this.queue(q).getJobCounts('wait', 'active', 'delayed', 'prioritized', 'waiting-children')),
      );
      quiet = counts.every((c) => Object.values(c).every((n) => n === 0)) ? quiet + 1 : 0;
      if (Date.now() > deadline) throw new Error(`queues not idle: ${JSON.stringify(counts)}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  async stop(): Promise<void> {
    await this.worker?.close();
    await this.gateway?.close();
    await Promise.all([...this.queues.values()].map((q) => q.close()));
    await this.emulator.stop();
    await Promise.all(this.llms.map((l) => l.stop()));
    await dropPrefix(this.env.QUEUE_PREFIX).catch(() => undefined);
    await this.db?.drop();
  }
}
