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

  test('texts older than the retention window are not stored at all', async () => {
    await new FactWriter(prisma, 40).write(toBatch([message(40, '2020-01-01T10:00:00Z')]));
    expect((await prisma.message.findFirstOrThrow()).text).toBeNull();
  });
});
