import { chatKeys } from '@kraken/chat';
import { ContextJob, type MessageFact, QueueName, updateJobId } from '@kraken/contracts';
import { countMessagesTokens } from '@kraken/llm';
import IORedis from 'ioredis';
import { CONTEXT_JOB_OPTIONS } from '../../apps/gateway/src/chat/chat-queues';
import { TEST_REDIS_URL } from '../support/redis';
import { ChatHarness } from './chat-harness';

/**
 * Issue "Hardening", Redis can fill up: one chat's rolling context is bounded in bytes
 * (CHAT_CONTEXT_MAX_BYTES, default 256 KiB), and context jobs keep no texts once stored. The bound
 * documented in the README's Reliability section is 1.3 × CHAT_CONTEXT_MAX_BYTES per chat (jemalloc
 * rounds allocations up by at most about 25 %).
 */
const MAX_BYTES = 256 * 1024;
const BOUND = 1.3 * MAX_BYTES;
const anna = { id: 901, first_name: 'Anna' };

describe('Redis memory of the chat context (gateway and llm-worker in process, real Redis)', () => {
  const h = new ChatHarness();
  const redis = new IORedis(TEST_REDIS_URL);
  beforeAll(() => h.start());
  afterAll(async () => {
    redis.disconnect();
    await h.stop();
  });

  /** MEMORY USAGE of every key of a chat's context (`<prefix>:chat:ctx:<chat>:*`), every field counted (SAMPLES 0). */
  async function contextMemory(chatId: number): Promise<number> {
    const keys = await redis.keys(`${h.env.QUEUE_PREFIX}:chat:ctx:${chatId}:*`);
    expect(keys.length).toBeGreaterThanOrEqual(2);
    let total = 0;
    for (const key of keys) total += Number((await redis.call('MEMORY', 'USAGE', key, 'SAMPLES', '0')) ?? 0);
    return total;
  }

  it('20,000 messages of 4,096 characters in one chat keep its context under 1.3 × CHAT_CONTEXT_MAX_BYTES, the newest kept', async () => {
    const chat = { id: -4001 };
    const now = Math.floor(h.clock.now() / 1000);
    const text = (i: number) => `${i} ${'щупальца кракена тянутся к чату '.repeat(140)}`.slice(0, 4096);
    for (let start = 0; start < 20_000; start += 500) {
      const facts: MessageFact[] = Array.from({ length: 500 }, (_, k) => {
        const i = start + k;
        return {
          updateId: 2_000_000 + i,
          chat: { id: chat.id, type: 'supergroup', title: 'Flood' },
          messageId: 50_000 + i,
          // All within the 2-hour window (several per second), so only the byte cap can bound them.
          date: now - 7_000 + Math.floor((i * 7_000) / 20_000),
          sender: { id: 900 + (i % 20), kind: 'user', name: `Флудер ${i % 20}`, isBot: false },
          kind: 'text',
          text: text(i),
          textLength: 4096,
        };
      });
      await h.queue(QueueName.ChatContext).addBulk(facts.map((fact) => ({ name: ContextJob.Message, data: fact, opts: { ...CONTEXT_JOB_OPTIONS, jobId: updateJobId(fact.updateId) } })));
      await h.idle(120_000);
    }
    const memory = await contextMemory(chat.id);
    expect(memory).toBeLessThanOrEqual(BOUND);
    const kept = await redis.zrange(chatKeys.contextIds(h.env.QUEUE_PREFIX, chat.id), 0, -1);
    expect(kept.length).toBeGreaterThan(20);
    expect(kept.at(-1)).toBe(String(50_000 + 19_999));

    // What is kept still fills the prompt: the newest messages, within the 1,500-token budget.
    const ask = await h.send(chat, anna, 'Кракен, о чём тут флудят?');
    await h.waitForReplies(chat.id, ask.message_id);
    const request = h.llm().requests.at(-1)!.body;
    expect(countMessagesTokens(request.messages as never, request.model)).toBeGreaterThan(1200);
    expect(request.messages.find((m) => m.role === 'user')!.content).toContain(`#${50_000 + 19_999} `);
  });

  it('messages through the gateway leave no text in completed context jobs: it is only in the context', async () => {
    const chat = { id: -4002 };
    const marker = 'уникальная-фраза-для-поиска-в-redis';
    for (let i = 0; i < 3; i++) await h.send(chat, anna, `${marker} ${i}`);
    await h.idle();
    const context = h.queue(QueueName.ChatContext);
    expect(await context.getJobCounts('completed', 'failed')).toEqual({ completed: 0, failed: 0 });
    const jobKeys = (await redis.keys(`${h.env.QUEUE_PREFIX}:${QueueName.ChatContext}:*`)).filter((k) => /:tg-\d+$/.test(k));
    expect(jobKeys).toEqual([]);
    const entries = await redis.hvals(chatKeys.contextEntries(h.env.QUEUE_PREFIX, chat.id));
    expect(entries.filter((e) => e.includes(marker))).toHaveLength(3);
  });
});
