import { PrismaService } from '@kraken/db';
import { createTestPrisma, type TestPrisma } from '@kraken/testing';
import { LlmBudgetRepository, type BudgetCounter } from './budget-repository';

describe('LlmBudgetRepository (PostgreSQL row locks)', () => {
  let fixture: TestPrisma;
  let prisma: PrismaService;
  let budgets: LlmBudgetRepository;

  const held = async () =>
    Object.fromEntries(
      (await prisma.$queryRaw<Array<{ ref: string; usd: string }>>`SELECT "scope" || '|' || "period" AS ref, "usd"::text FROM "LlmBudgetCounter" ORDER BY 1`).map((r) => [r.ref, Number(r.usd)]),
    );

  beforeAll(async () => {
    fixture = await createTestPrisma({ poolSize: 10 });
    prisma = fixture.prisma;
    budgets = new LlmBudgetRepository(prisma);
  });
  afterAll(async () => {
    await fixture.close();
  });

  it('holds a reservation once per key, and settling replaces the worst case by the real cost', async () => {
    const counters: BudgetCounter[] = [{ scope: 'global', period: 'day:2026-11-01', limitUsd: 1 }];
    expect(await budgets.reserve('a', 0.4, counters)).toBeNull();
    expect(await budgets.reserve('a', 0.4, counters)).toBeNull(); // a re-run of the same call
    expect(await held()).toEqual({ 'global|day:2026-11-01': 0.4 });
    await budgets.settle('a', 0.1);
    await budgets.settle('a', 0.1); // settled twice: nothing more
    expect(await held()).toEqual({ 'global|day:2026-11-01': 0.1 });
  });

  it('a refusal by one counter leaves every counter as it was', async () => {
    const counters: BudgetCounter[] = [
      { scope: 'chat:-5', period: 'day:2026-11-02', limitUsd: 10 },
      { scope: 'global', period: 'day:2026-11-02', limitUsd: 0.5 },
    ];
    expect(await budgets.reserve('b1', 0.3, counters)).toBeNull();
    expect(await budgets.reserve('b2', 0.3, counters)).toEqual(counters[1]);
    expect(await budgets.reserve('b3', 0.6, [{ scope: 'chat:-6', period: 'day:2026-11-02', limitUsd: 0.5 }])).toEqual({ scope: 'chat:-6', period: 'day:2026-11-02', limitUsd: 0.5 });
    const now = await held();
    expect([now['chat:-5|day:2026-11-02'], now['global|day:2026-11-02'], now['chat:-6|day:2026-11-02']]).toEqual([0.3, 0.3, undefined]);
  });

  it('50 reservations at once never pass the limit', async () => {
    const counters: BudgetCounter[] = [
      { scope: 'chat:-7', period: 'month:2026-11', limitUsd: 100 },
      { scope: 'global', period: 'month:2026-11', limitUsd: 1 },
    ];
    const results = await Promise.all(Array.from({ length: 50 }, (_, i) => budgets.reserve(`c${i}`, 0.1, counters)));
    expect(results.filter((r) => r === null)).toHaveLength(10);
    expect((await held())['global|month:2026-11']).toBe(1);
  });
});
