import { PrismaService } from '@kraken/db';
import { UsageReportRepository } from '@kraken/llm';
import { FactWriter, monthBounds, MonthsRepository, parseMonth, SendersRepository, toBatch, type TaggedFact } from '@kraken/stats';
import { createTestPrisma, type TestPrisma } from '@kraken/testing';

const chat = { id: -100888, type: 'supergroup' as const, title: 'Months test' };

function message(id: number, iso: string, sender = 10): TaggedFact {
  return {
    kind: 'message',
    fact: {
      updateId: id, chat, messageId: id, date: Math.floor(Date.parse(iso) / 1000),
      sender: { id: sender, kind: 'user', name: `User ${sender}`, isBot: false }, kind: 'text', text: `text ${id}`, textLength: 7,
    },
  };
}

describe('month cut, months, senders and usage reports on PostgreSQL', () => {
  let fixture: TestPrisma;
  let prisma: PrismaService;

  beforeAll(async () => {
    fixture = await createTestPrisma({ poolSize: 2 });
    prisma = fixture.prisma;
  });
  afterAll(async () => {
    await fixture.close();
  });

  test('monthBounds cuts a month at local midnight, across a DST change, and rejects an unknown time zone', async () => {
    expect(await monthBounds(prisma, parseMonth('2025-03'), 'Europe/Moscow')).toEqual([new Date('2025-02-28T21:00:00Z'), new Date('2025-03-31T21:00:00Z')]);
    // New York moves from UTC-5 to UTC-4 on 2025-03-09: the two ends have different offsets.
    expect(await monthBounds(prisma, parseMonth('2025-03'), 'America/New_York')).toEqual([new Date('2025-03-01T05:00:00Z'), new Date('2025-04-01T04:00:00Z')]);
    expect(await monthBounds(prisma, parseMonth('2025-12'), 'UTC')).toEqual([new Date('2025-12-01T00:00:00Z'), new Date('2026-01-01T00:00:00Z')]);
    await expect(monthBounds(prisma, parseMonth('2025-03'), 'Mars/Olympus')).rejects.toThrow();
  });

  test('MonthsRepository lists a chat’s months in the time zone asked for, busiest first, ties oldest first', async () => {
    const writer = new FactWriter(prisma, 100_000);
    await writer.write(toBatch([
      message(1, '2025-02-28T21:30:00Z'), // 1 March 00:30 in Moscow, still February in UTC
      message(2, '2025-03-10T12:00:00Z'),
      message(3, '2025-01-05T12:00:00Z'),
      message(4, '2025-04-05T12:00:00Z', 11),
      message(5, '2025-04-06T12:00:00Z', 11),
    ]));
    const months = new MonthsRepository(prisma);
    expect(await months.messageCounts(chat.id, 'Europe/Moscow')).toEqual([
      { month: '2025-03', messages: 2 },
      { month: '2025-04', messages: 2 },
      { month: '2025-01', messages: 1 },
    ]);
    expect(await months.messageCounts(chat.id, 'UTC')).toEqual([
      { month: '2025-04', messages: 2 },
      { month: '2025-01', messages: 1 },
      { month: '2025-02', messages: 1 },
      { month: '2025-03', messages: 1 },
    ]);
    expect(await months.messageCounts(-1, 'UTC')).toEqual([]);
  });

  test('SendersRepository names the stored senders among the ids asked for', async () => {
    const names = new SendersRepository(prisma);
    expect(await names.names([10, 11, 999])).toEqual(new Map([[10, 'User 10'], [11, 'User 11']]));
    expect(await names.names([])).toEqual(new Map());
  });

  test('UsageReportRepository sums only the rows of the month containing `now`, cut in the time zone', async () => {
    const row = (createdAt: string, userId: number, costUsd: string) => ({
      chatId: BigInt(chat.id), userId: BigInt(userId), provider: 'alpha', model: 'gpt-4o-mini', purpose: 'chat',
      promptTokens: 10, completionTokens: 5, costUsd, cached: false, latencyMs: 1, createdAt: new Date(createdAt),
    });
    await prisma.llmUsage.createMany({
      data: [
        row('2025-02-28T20:59:59Z', 10, '0.5'), // 23:59:59 on 28 February in Moscow
        row('2025-02-28T21:00:00Z', 10, '0.25'), // 00:00 on 1 March in Moscow
        row('2025-03-31T20:59:59Z', 11, '0.125'),
        row('2025-03-31T21:00:00Z', 11, '1'), // April in Moscow
      ],
    });
    const report = await new UsageReportRepository(prisma).chatReport(chat.id, { tz: 'Europe/Moscow', now: new Date('2025-03-15T12:00:00Z') });
    expect(report.models).toEqual([{ model: 'gpt-4o-mini', requests: 2, cacheHits: 0, promptTokens: 20, completionTokens: 10, costUsd: 0.375 }]);
    expect(report.topUsers).toEqual([
      { userId: 10, requests: 1, costUsd: 0.25 },
      { userId: 11, requests: 1, costUsd: 0.125 },
    ]);
  });
});
