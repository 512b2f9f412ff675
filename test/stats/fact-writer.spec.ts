import type { ChatMemberFact, MessageFact } from '@kraken/contracts';
import { PrismaService } from '@kraken/db';
import { FactWriter, MonthlyStatsQuery, parseMonth, purgeMessageTexts, toBatch, type TaggedFact } from '@kraken/stats';
import { createTestPrisma, type TestPrisma } from '@kraken/testing';

const chat = { id: -100777, type: 'supergroup' as const, title: 'Writer test' };
const at = (iso: string) => Math.floor(Date.parse(iso) / 1000);

function message(id: number, iso: string, extra: Partial<MessageFact> = {}): TaggedFact {
  return {
    kind: 'message',
    fact: { updateId: id, chat, messageId: id, date: at(iso), sender: { id: 10 + (id % 3), kind: 'user', name: `U${id % 3}`, isBot: false }, kind: 'text', text: `text ${id}`, textLength: 7, ...extra },
  };
}

function member(id: number, iso: string, transition: 'join' | 'leave', userId = 555): TaggedFact {
  const fact: ChatMemberFact = {
    updateId: id, chat, user: { id: userId, name: 'Joiner', isBot: false }, date: at(iso), transition,
    oldStatus: transition === 'join' ? 'left' : 'member', newStatus: transition === 'join' ? 'member' : 'left',
  };
  return { kind: 'chatMember', fact };
}

describe('FactWriter and MonthlyStatsQuery on PostgreSQL', () => {
  let fixture: TestPrisma;
  let prisma: PrismaService;
  let writer: FactWriter;
  const stats = (month: string, tz = 'Europe/Moscow') => new MonthlyStatsQuery(prisma).compute(chat.id, parseMonth(month), tz);

  beforeEach(async () => {
    fixture = await createTestPrisma({ poolSize: 2 });
    prisma = fixture.prisma;
    writer = new FactWriter(prisma, 100_000);
  });
  afterEach(async () => {
    await fixture.close();
  });

  test('writing the same facts twice (or in two overlapping batches) counts them once', async () => {
    const facts = [message(1, '2025-03-10T10:00:00Z'), message(2, '2025-03-11T10:00:00Z'), member(3, '2025-03-12T10:00:00Z', 'join')];
    await writer.write(toBatch(facts));
    await Promise.all([writer.write(toBatch(facts)), new FactWriter(prisma, 100_000).write(toBatch(facts.slice(1)))]);
    const s = await stats('2025-03');
    expect(s).toMatchObject({ messages: 2, activeParticipants: 2, joins: 1 });
  });

  test('months are cut in the given time zone', async () => {
    await writer.write(toBatch([message(1, '2024-09-30T21:30:00Z')]));
    expect((await stats('2024-10', 'Europe/Moscow')).messages).toBe(1);
    expect((await stats('2024-09', 'UTC')).messages).toBe(1);
    expect((await stats('2024-10', 'Europe/Moscow')).busiestDay).toEqual({ date: '2024-10-01', messages: 1 });
  });

  test('a chat_member join within 60 s of the service message for the same user counts once', async () => {
    const service = message(10, '2025-04-01T10:00:00Z', { kind: null, newChatMembers: [{ id: 555, name: 'Joiner', isBot: false }] });
    await writer.write(toBatch([service, member(11, '2025-04-01T10:00:20Z', 'join'), member(12, '2025-04-05T10:00:00Z', 'leave'), member(13, '2025-04-06T10:00:00Z', 'join')]));
    expect(await stats('2025-04')).toMatchObject({ messages: 0, joins: 2, leaves: 1 });
  });

  test('the newest edit wins whatever the order, and each edit counts once', async () => {
    const original = message(20, '2025-05-01T10:00:00Z');
    const edit = (seconds: number, text: string) => message(20, '2025-05-01T10:00:00Z', { editDate: at('2025-05-01T10:00:00Z') + seconds, text, textLength: text.length });
    await writer.write(toBatch([edit(120, 'second edit')]));
    await writer.write(toBatch([original, edit(60, 'first')]));
    await writer.write(toBatch([edit(60, 'first')]));
    const row = await prisma.message.findUniqueOrThrow({ where: { chatId_messageId: { chatId: BigInt(chat.id), messageId: 20 } } });
    expect(row.text).toBe('second edit');
    expect((await stats('2025-05')).edits).toBe(2);
  });

  test('the text purge clears old texts and keeps every count', async () => {
    await writer.write(toBatch([message(30, '2025-01-01T10:00:00Z'), message(31, new Date().toISOString())]));
    const cleared = await purgeMessageTexts(prisma, 40);
    expect(cleared).toBe(1);
    const rows = await prisma.message.findMany({ orderBy: { messageId: 'asc' } });
    expect(rows.map((r) => r.text === null)).toEqual([true, false]);
    expect(rows[0].textLength).toBe(7);
    expect((await stats('2025-01')).messages).toBe(1);
  });

  test('every column is stored as given: ids, dates, texts, forward origin, reactions, names', async () => {
    const sender = { id: 4_503_599_627_370_000, kind: 'user' as const, name: 'Ann "Q" \\ Ли 🦑', username: 'ann', isBot: false };
    const fact: MessageFact = {
      updateId: 50, chat: { id: -1_002_345_678_901, type: 'supergroup', title: 'Чат «тест» 🐙', username: 'kraken_chat' }, messageId: 50,
      date: at('2025-06-01T10:00:00Z'), sender, kind: 'photo', text: 'line\n"quoted" \\ {a,b} 🦑', textLength: 24, replyToMessageId: 7, threadId: 3,
      forwardOrigin: { type: 'channel', title: 'News', id: -1_009_876_543_210 },
    };
    await writer.write(toBatch([
      { kind: 'message', fact },
      { kind: 'reactionCount', fact: { updateId: 51, chat: fact.chat, messageId: 50, date: at('2025-06-01T11:00:00Z'), reactions: [{ key: '👍', count: 3 }, { key: 'custom:5', count: 2 }] } },
      { kind: 'reaction', fact: { updateId: 52, chat: fact.chat, messageId: 50, date: at('2025-06-01T12:00:00Z'), actorId: 42, reactions: ['🔥', '👍'] } },
    ]));
    const key = { chatId: BigInt(fact.chat.id), messageId: 50 };
    expect(await prisma.message.findUniqueOrThrow({ where: { chatId_messageId: key } })).toMatchObject({
      senderId: BigInt(sender.id), date: new Date('2025-06-01T10:00:00Z'), kind: 'photo', text: fact.text, textLength: 24,
      replyToMessageId: 7, threadId: 3, forwardOriginType: 'channel', forwardOriginTitle: 'News', forwardOriginId: -1_009_876_543_210n,
    });
    expect(await prisma.chat.findUniqueOrThrow({ where: { id: key.chatId } })).toMatchObject({ type: 'supergroup', title: fact.chat.title, username: 'kraken_chat' });
    expect(await prisma.sender.findUniqueOrThrow({ where: { id: BigInt(sender.id) } })).toMatchObject({ name: sender.name, username: 'ann', isBot: false });
    expect(await prisma.reactionCount.findUniqueOrThrow({ where: { chatId_messageId: key } })).toMatchObject({
      totalCount: 5, reactions: [{ key: '👍', count: 3 }, { key: 'custom:5', count: 2 }], date: new Date('2025-06-01T11:00:00Z'),
    });
    expect(await prisma.userReaction.findFirstOrThrow()).toMatchObject({ actorId: 42n, reactions: ['🔥', '👍'], count: 2, date: new Date('2025-06-01T12:00:00Z') });
  });

  test('a text PostgreSQL cannot hold as is (half an emoji, NUL) is still stored and counted', async () => {
    const halfEmoji = '🦑'.slice(0, 1);
    await writer.write(toBatch([message(60, '2025-07-01T10:00:00Z', { text: `cut ${halfEmoji}`, textLength: 5 }), message(61, '2025-07-01T10:00:00Z', { text: 'a\u0000b', textLength: 3 })]));
    const rows = await prisma.message.findMany({ orderBy: { messageId: 'asc' } });
    expect(rows.map((r) => r.text)).toEqual(['cut \uFFFD', 'ab']);
    expect((await stats('2025-07')).messages).toBe(2);
  });

  test('texts older than the retention window are not stored at all', async () => {
    await new FactWriter(prisma, 40).write(toBatch([message(40, '2020-01-01T10:00:00Z')]));
    expect((await prisma.message.findFirstOrThrow()).text).toBeNull();
  });
});
