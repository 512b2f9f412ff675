import type { PrismaClient } from '@kraken/db';

/** One budget a reservation is held against: a scope, a period and its limit. */
export interface BudgetCounter {
  /** `global` or `chat:<chat id>`. */
  scope: string;
  /** `day:YYYY-MM-DD` or `month:YYYY-MM`. */
  period: string;
  /** USD; the counter may never go above it through a reservation. */
  limitUsd: number;
}

/** Prisma's interactive-transaction client, as far as the repository uses it. */
type Tx = Pick<PrismaClient, '$queryRaw' | '$executeRaw'>;

/** Rolls a reservation's transaction back and names the counter that would have passed its limit. */
class OverLimit extends Error {
  constructor(readonly counter: BudgetCounter) {
    super(`budget ${counter.scope} ${counter.period} would pass ${counter.limitUsd} USD`);
  }
}

/** How long a reservation may wait for a connection and then run, in ms (50 at once queue on the row locks). */
const TRANSACTION_OPTIONS = { maxWait: 15_000, timeout: 15_000 };

/** `<scope>|<period>`, the form reservations store their counters in. */
const counterRef = (c: Pick<BudgetCounter, 'scope' | 'period'>) => `${c.scope}|${c.period}`;

/** Counters in one fixed order, so concurrent transactions lock rows in the same order (no deadlocks). */
const sorted = <T extends Pick<BudgetCounter, 'scope' | 'period'>>(counters: T[]) =>
  [...counters].sort((a, b) => (counterRef(a) < counterRef(b) ? -1 : counterRef(a) > counterRef(b) ? 1 : 0));

/**
 * The LLM budgets in PostgreSQL (`LlmBudgetCounter`, `LlmBudgetReservation`). A reservation adds its
 * worst-case cost to every counter it names in one transaction, each with an upsert whose update only
 * happens while `usd + amount <= limit` (PostgreSQL re-checks that condition on the locked, newest row
 * version), so concurrent reservations never take a counter past its limit; if any counter refuses,
 * the whole transaction is rolled back. Settling replaces the worst case by the real cost.
 * Raw SQL on purpose: the guarded upsert (`ON CONFLICT … DO UPDATE … WHERE usd + amount <= limit`,
 * judged by PostgreSQL on the locked row) and `DELETE … RETURNING` of the reservation are single
 * statements Prisma's typed client cannot express (its upsert has no condition on the update).
 */
export class LlmBudgetRepository {
  constructor(private readonly prisma: Pick<PrismaClient, '$transaction'>) {}

  /**
   * Holds `usd` against every counter under the reservation `key`; a key already reserved (a re-run
   * of a call whose reservation was never settled) holds nothing more.
   * @returns null when held, else the first counter (in lock order) that `usd` would take past its limit
   * @throws the database error
   */
  async reserve(key: string, usd: number, counters: BudgetCounter[]): Promise<BudgetCounter | null> {
    try {
      await this.prisma.$transaction(async (tx: Tx) => {
        const fresh = await tx.$queryRaw<Array<{ key: string }>>`
          INSERT INTO "LlmBudgetReservation" ("key", "usd", "counters")
          VALUES (${key}, ${usd}::numeric, ${counters.map(counterRef)}::text[])
          ON CONFLICT ("key") DO NOTHING RETURNING "key"`;
        if (fresh.length === 0) return;
        for (const counter of sorted(counters)) {
          const held = await tx.$queryRaw<Array<{ usd: string }>>`
            INSERT INTO "LlmBudgetCounter" ("scope", "period", "usd")
            SELECT ${counter.scope}, ${counter.period}, ${usd}::numeric WHERE ${usd}::numeric <= ${counter.limitUsd}::numeric
            ON CONFLICT ("scope", "period") DO UPDATE SET "usd" = "LlmBudgetCounter"."usd" + EXCLUDED."usd"
            WHERE "LlmBudgetCounter"."usd" + EXCLUDED."usd" <= ${counter.limitUsd}::numeric
            RETURNING "usd"::text`;
          if (held.length === 0) throw new OverLimit(counter);
        }
      }, TRANSACTION_OPTIONS);
      return null;
    } catch (error) {
      if (error instanceof OverLimit) return error.counter;
      throw error;
    }
  }

  /**
   * Settles the reservation `key`: its counters give back the worst case and take `usd`, the real
   * cost; the reservation is deleted. Settling an unknown (already settled) key does nothing.
   * @throws the database error
   */
  async settle(key: string, usd: number): Promise<void> {
    await this.prisma.$transaction(async (tx: Tx) => {
      const [reservation] = await tx.$queryRaw<Array<{ usd: string; counters: string[] }>>`
        DELETE FROM "LlmBudgetReservation" WHERE "key" = ${key} RETURNING "usd"::text, "counters"`;
      if (!reservation) return;
      const counters = reservation.counters.map((ref) => {
        const bar = ref.lastIndexOf('|');
        return { scope: ref.slice(0, bar), period: ref.slice(bar + 1) };
      });
      for (const counter of sorted(counters)) {
        await tx.$executeRaw`
          UPDATE "LlmBudgetCounter" SET "usd" = GREATEST(0, "usd" - ${reservation.usd}::numeric + ${usd}::numeric)
          WHERE "scope" = ${counter.scope} AND "period" = ${counter.period}`;
      }
    }, TRANSACTION_OPTIONS);
  }
}
