import type { PrismaClient } from '@kraken/db';

/** An assistant session (table AssistantSession) without its turns. */
export interface AssistantSession {
  id: string;
  /** Telegram user id of its owner. */
  userId: number;
  /** Null until the first question titles it. */
  title: string | null;
  model: string;
  mode: string;
  /** The user's own system prompt; null: the mode's preset. */
  systemPrompt: string | null;
  createdAt: Date;
  lastActiveAt: Date;
}

/** One turn of a session. */
export interface AssistantTurn {
  role: 'user' | 'assistant';
  text: string;
  /** The text's tokens (gpt-tokenizer, the session's model when stored). */
  tokens: number;
}

/** What the user asked and what the assistant answered in one exchange. */
export interface AssistantExchange {
  question: AssistantTurn & { reportedTokens?: number | null };
  answer: AssistantTurn & { reportedTokens?: number | null };
}

/** Changes to a session (only the fields given). */
export interface SessionPatch {
  title?: string;
  model?: string;
  mode?: string;
  systemPrompt?: string | null;
}

/** First key of the advisory lock that serialises creating a user's first session (arbitrary, fixed). */
const SESSION_LOCK_NAMESPACE = 71_105_001;

/** A session id as Prisma stores it (UUID); anything else can never name a session. */
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

type SessionRow = Awaited<ReturnType<PrismaClient['assistantSession']['findFirstOrThrow']>>;

function sessionOf(row: SessionRow): AssistantSession {
  return { ...row, userId: Number(row.userId) };
}

/**
 * Assistant sessions and their turns in PostgreSQL, with Prisma's typed client. Every read or change
 * of one session names its owner (`userId`): a session id of another user, or a string that is not a
 * session id, reads as "no such session" and changes nothing. A user's current session is the one
 * active last (`lastActiveAt`, then `createdAt`).
 */
export class AssistantSessionRepository {
  constructor(private readonly prisma: Pick<PrismaClient, 'assistantSession' | 'assistantTurn' | '$transaction'>) {}

  /** Starts a session for `userId` (active `at`, default now). @throws the database error */
  async create(userId: number, fields: { model: string; title?: string; mode?: string; at?: Date }): Promise<AssistantSession> {
    const at = fields.at ?? new Date();
    const row = await this.prisma.assistantSession.create({
      data: { userId: BigInt(userId), model: fields.model, title: fields.title ?? null, mode: fields.mode, createdAt: at, lastActiveAt: at },
    });
    return sessionOf(row);
  }

  /** The user's current session, or null when they have none. @throws the database error */
  async current(userId: number): Promise<AssistantSession | null> {
    const row = await this.prisma.assistantSession.findFirst({ where: { userId: BigInt(userId) }, orderBy: [{ lastActiveAt: 'desc' }, { createdAt: 'desc' }] });
    return row ? sessionOf(row) : null;
  }

  /**
   * The user's current session, or a new one made from `fields` when they have none. Two first
   * messages of a new user handled at once make one session: the check and the insert run in one
   * transaction under a transaction-level advisory lock on the user (the two-int4 key space, apart
   * from the migrator's bigint key). @throws the database error
   */
  async currentOrCreate(userId: number, fields: { model: string; at?: Date }): Promise<AssistantSession> {
    const row = await this.prisma.$transaction(async (tx) => {
      await tx.$executeRaw`SELECT pg_advisory_xact_lock(${SESSION_LOCK_NAMESPACE}::int, (${BigInt(userId)}::bigint % 2147483647)::int)`;
      const current = await tx.assistantSession.findFirst({ where: { userId: BigInt(userId) }, orderBy: [{ lastActiveAt: 'desc' }, { createdAt: 'desc' }] });
      const at = fields.at ?? new Date();
      return current ?? tx.assistantSession.create({ data: { userId: BigInt(userId), model: fields.model, createdAt: at, lastActiveAt: at } });
    });
    return sessionOf(row);
  }

  /** Session `id` when it belongs to `userId`, else null. @throws the database error */
  async find(userId: number, id: string): Promise<AssistantSession | null> {
    if (!UUID.test(id)) return null;
    const row = await this.prisma.assistantSession.findFirst({ where: { id, userId: BigInt(userId) } });
    return row ? sessionOf(row) : null;
  }

  /** The user's `limit` most recently active sessions, current first. @throws the database error */
  async list(userId: number, limit: number): Promise<AssistantSession[]> {
    const rows = await this.prisma.assistantSession.findMany({ where: { userId: BigInt(userId) }, orderBy: [{ lastActiveAt: 'desc' }, { createdAt: 'desc' }], take: limit });
    return rows.map(sessionOf);
  }

  /** Makes session `id` the user's current one (active `at`). @returns false when it is not theirs. @throws the database error */
  async activate(userId: number, id: string, at: Date = new Date()): Promise<boolean> {
    return this.update(userId, id, {}, at);
  }

  /**
   * Applies `patch` to the user's session `id` (and marks it active `at` when given).
   * @returns false when it is not theirs. @throws the database error
   */
  async update(userId: number, id: string, patch: SessionPatch, at?: Date): Promise<boolean> {
    if (!UUID.test(id)) return false;
    const { count } = await this.prisma.assistantSession.updateMany({ where: { id, userId: BigInt(userId) }, data: { ...patch, ...(at ? { lastActiveAt: at } : {}) } });
    return count === 1;
  }

  /** Deletes the user's session `id` with its turns. @returns false when it is not theirs. @throws the database error */
  async delete(userId: number, id: string): Promise<boolean> {
    if (!UUID.test(id)) return false;
    const { count } = await this.prisma.assistantSession.deleteMany({ where: { id, userId: BigInt(userId) } });
    return count === 1;
  }

  /** Deletes every turn of the user's session `id`. @returns how many were deleted (0 when it is not theirs). @throws the database error */
  async clear(userId: number, id: string): Promise<number> {
    if (!UUID.test(id)) return 0;
    const { count } = await this.prisma.assistantTurn.deleteMany({ where: { sessionId: id, session: { userId: BigInt(userId) } } });
    return count;
  }

  /** The turns of session `sessionId`, oldest first. @throws the database error */
  async turns(sessionId: string): Promise<AssistantTurn[]> {
    const rows = await this.prisma.assistantTurn.findMany({ where: { sessionId }, orderBy: { id: 'asc' }, select: { role: true, text: true, tokens: true } });
    return rows;
  }

  /** How many turns session `sessionId` has. @throws the database error */
  async turnCount(sessionId: string): Promise<number> {
    return this.prisma.assistantTurn.count({ where: { sessionId } });
  }

  /** The exchange stored under `requestKey` (a job id), or null. @throws the database error */
  async exchange(requestKey: string): Promise<AssistantExchange | null> {
    const rows = await this.prisma.assistantTurn.findMany({ where: { requestKey }, select: { role: true, text: true, tokens: true, reportedTokens: true } });
    const question = rows.find((r) => r.role === 'user');
    const answer = rows.find((r) => r.role === 'assistant');
    return question && answer ? { question, answer } : null;
  }

  /**
   * Stores one exchange in session `sessionId` under `requestKey`, in one transaction: both turns
   * (a key already stored is skipped, so a re-run job stores them once), the session marked active
   * `at`, and its title set to `title` if it has none yet. @throws the database error
   */
  async addExchange(sessionId: string, requestKey: string, exchange: AssistantExchange, fields: { at: Date; title: string }): Promise<void> {
    const turn = (t: AssistantExchange['question'], createdAt: Date) => ({
      sessionId,
      requestKey,
      role: t.role,
      text: t.text,
      tokens: t.tokens,
      reportedTokens: t.reportedTokens ?? null,
      createdAt,
    });
    await this.prisma.$transaction([
      this.prisma.assistantTurn.createMany({ data: [turn(exchange.question, fields.at), turn(exchange.answer, fields.at)], skipDuplicates: true }),
      this.prisma.assistantSession.updateMany({ where: { id: sessionId }, data: { lastActiveAt: fields.at } }),
      this.prisma.assistantSession.updateMany({ where: { id: sessionId, title: null }, data: { title: fields.title } }),
    ]);
  }
}
