import { PrismaService } from '@kraken/db';
import { RECAP_TEXTS } from '@kraken/recap';
import type { FakeLlmRequest } from '@kraken/testing';
import { ChatHarness } from '../chat/chat-harness';
import { DEMO_CHAT_ID, importDemoExport } from '../digest/support/demo-data';

/**
 * Issue 14, recaps, end to end: the bundled real export imported as `kraken import` does, then
 * `/recap` through the gateway (in-process, Telegraf handlers) → chat-knowledge queue → llm-worker →
 * fake LLM → outbox → Bot API emulator. The export's busiest day (26.09.2024 in Europe/Moscow, 23
 * messages) is recapped by asking at midnight after it: `/recap 24h` covers exactly that day.
 */
const DAY_START = new Date('2024-09-26T00:00:00+03:00');
const DAY_END = new Date('2024-09-27T00:00:00+03:00');
const member = { id: 9001, first_name: 'Late' };

/** `#<id>` at the start of each prompt line: the messages the model was shown. */
const promptIds = (request: FakeLlmRequest) => [...request.body.messages.map((m) => m.content).join('\n').matchAll(/^#(\d+) /gm)].map((m) => Number(m[1]));
/** Message ids of the `t.me/c` links of a sent recap. */
const linkIds = (html: string) => [...html.matchAll(/href="https:\/\/t\.me\/c\/2482670091\/(?:(\d+)\/)?(\d+)"/g)].map((m) => ({ topic: m[1] ? Number(m[1]) : undefined, id: Number(m[2]) }));

describe('recaps of the real export', () => {
  const h = new ChatHarness();
  let prisma: PrismaService;
  let day: Array<{ messageId: number; threadId: number | null }>;
  let nextId = 500_000;

  const ask = async (text: string, extra: Record<string, unknown> = {}) => {
    const sent = await h.send({ id: DEMO_CHAT_ID, type: 'supergroup', title: 'ENSIA IMPACT © Group', is_forum: true } as never, member, text, { message_id: nextId++, ...extra });
    const [reply] = await h.waitForReplies(DEMO_CHAT_ID, sent.message_id, 1, 20_000);
    return String(reply.params.text);
  };

  beforeAll(async () => {
    h.clock.ms = DAY_END.getTime();
    await h.start({ env: { RECAP_INTERVAL_SECONDS: '600', BOT_LANGUAGE: 'ru' } });
    prisma = new PrismaService({ databaseUrl: h.env.DATABASE_URL, poolSize: 2 });
    await prisma.$connect();
    await importDemoExport(prisma);
    day = await prisma.$queryRaw`SELECT "messageId", "threadId" FROM "Message" WHERE "chatId" = ${BigInt(DEMO_CHAT_ID)} AND "date" >= ${DAY_START} AND "date" < ${DAY_END} ORDER BY "messageId"`;
    // The fake model cites the first messages it was shown, plus ids that do not exist or lie outside the window.
    h.llm().respond = (request) => {
      const ids = promptIds(request);
      return {
        text: JSON.stringify({
          topics: [
            { title: 'AI webinars', summary: 'Links to NVIDIA webinars were shared.', messages: [...ids.slice(0, 3), 999_999, 1], people: ['ENSIA IMPACT © Group', 'Invented Person'] },
            { title: 'Q&A', summary: 'Questions from a Q&A session.', messages: [ids.at(-1), '#424242'], people: [] },
          ],
          open_questions: ['Who runs the next webinar?'],
        }),
      };
    };
  });
  afterAll(async () => {
    await prisma?.$disconnect();
    await h.stop();
  });

  it('recaps the busiest day: every link points at a stored message of that day, the prompt held exactly that day', async () => {
    expect(day.length).toBe(23);
    const dayIds = new Set(day.map((m) => m.messageId));
    const html = await ask('/recap 24h');
    expect(html).toContain('What you missed'); // the export's chat writes in English
    expect(html).toContain('23 messages');
    const links = linkIds(html);
    expect(links.length).toBeGreaterThanOrEqual(3);
    for (const link of links) {
      expect(dayIds.has(link.id)).toBe(true);
      expect(link.topic).toBe(day.find((m) => m.messageId === link.id)!.threadId ?? undefined);
    }
    expect(html).not.toContain('999999');
    expect(html).not.toContain('424242');
    expect(html).toContain('Who runs the next webinar?');
    expect(html).toContain('👥 ENSIA IMPACT © Group');
    expect(html).not.toContain('Invented Person');
    const [request] = h.llm().requests;
    expect(new Set(promptIds(request))).toEqual(dayIds);
    const usage = await prisma.$queryRaw<Array<{ purpose: string; n: bigint }>>`SELECT "purpose", count(*) AS n FROM "LlmUsage" GROUP BY "purpose"`;
    expect(usage.map((u) => u.purpose)).toEqual(['recap']);
  });

  it('a second request within the interval gets the cached recap without asking the LLM', async () => {
    const before = h.llm().requests.length;
    const again = await ask('Кракен, что тут было?');
    expect(h.llm().requests.length).toBe(before);
    expect(again).toContain('Recap made at 00:00');
  });

  it('in a forum topic, only that topic', async () => {
    const topic = new Set(day.filter((m) => m.threadId === 236).map((m) => m.messageId));
    expect(topic.size).toBeGreaterThan(10);
    const before = h.llm().requests.length;
    const html = await ask('/recap 24h', { is_topic_message: true, message_thread_id: 236 });
    const request = h.llm().requests[before];
    expect(new Set(promptIds(request))).toEqual(topic);
    for (const link of linkIds(html)) {
      expect(topic.has(link.id)).toBe(true);
      expect(link.topic).toBe(236);
    }
  });

  it('a reply with /recap summarises from that message on', async () => {
    const topic = day.filter((m) => m.threadId === 285).map((m) => m.messageId);
    const from = topic[2];
    const root = { message_id: from, date: Math.floor(DAY_START.getTime() / 1000), chat: { id: DEMO_CHAT_ID, type: 'supergroup', title: 'ENSIA IMPACT © Group' }, text: 'webinar' };
    const before = h.llm().requests.length;
    const html = await ask('/recap', { is_topic_message: true, message_thread_id: 285, reply_to_message: root });
    expect(new Set(promptIds(h.llm().requests[before]))).toEqual(new Set(topic.filter((id) => id >= from)));
    for (const link of linkIds(html)) expect(link.id).toBeGreaterThanOrEqual(from);
  });

  it('says so when nothing is stored, or only purged texts, and explains bad arguments', async () => {
    const before = h.llm().requests.length;
    const empty = await h.send({ id: -100555 }, member, '/recap');
    expect((await h.waitForReplies(-100555, empty.message_id))[0].params.text).toBe(RECAP_TEXTS.ru.empty);
    await prisma.$executeRaw`INSERT INTO "Message" ("chatId", "messageId", "date", "kind", "textLength", "text") VALUES (-100556, 1, ${new Date(h.clock.ms - 3600_000)}, 'text', 5, NULL)`;
    const purged = await h.send({ id: -100556 }, member, '/recap 6h', { message_id: 2 });
    expect((await h.waitForReplies(-100556, purged.message_id))[0].params.text).toBe(RECAP_TEXTS.ru.purged);
    expect(await ask('/recap вчера')).toBe(RECAP_TEXTS.ru.badArgs);
    expect(h.llm().requests.length).toBe(before);
  });
});
