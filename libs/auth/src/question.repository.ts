import type { ApiQuestion, Prisma, PrismaService } from '@kraken/db';
import type { Page } from './account.repository';

/** What is stored for an answered question (id chosen by the caller, so the usage row can name it). Cost in USD. */
export interface NewQuestion {
  id: string;
  userId: string;
  question: string;
  answer: string;
  model: string;
  provider: string;
  promptTokens: number;
  completionTokens: number;
  costUsd: number;
  cached: boolean;
  latencyMs: number;
}

/** A question with its answer and usage, as the API shows it: what was stored, plus when (ISO 8601). */
export interface QuestionView extends NewQuestion {
  createdAt: string;
}

/** The public view of a stored question. */
export function questionView(q: ApiQuestion): QuestionView {
  return {
    id: q.id,
    userId: q.userId,
    question: q.question,
    answer: q.answer,
    model: q.model,
    provider: q.provider,
    promptTokens: q.promptTokens,
    completionTokens: q.completionTokens,
    costUsd: Number(q.costUsd),
    cached: q.cached,
    latencyMs: q.latencyMs,
    createdAt: q.createdAt.toISOString(),
  };
}

/**
 * Questions asked through the API (`ApiQuestion`), through Prisma's typed client. "Newest" is the
 * order they were stored in: `createdAt` descending, then id descending for the same millisecond.
 */
export class QuestionRepository {
  constructor(private readonly prisma: PrismaService) {}

  /**
   * Stores an answered question. Raw SQL: it is on the path of every POST /questions, where Prisma's
   * create took about three times as long as the statement.
   */
  async create(q: NewQuestion): Promise<QuestionView> {
    const [row] = await this.prisma.$queryRaw<ApiQuestion[]>`
      INSERT INTO "ApiQuestion" ("id", "userId", "question", "answer", "model", "provider", "promptTokens", "completionTokens", "costUsd", "cached", "latencyMs")
      VALUES (${q.id}::uuid, ${q.userId}::uuid, ${q.question}, ${q.answer}, ${q.model}, ${q.provider}, ${q.promptTokens}, ${q.completionTokens},
        ${q.costUsd}::numeric, ${q.cached}, ${Math.round(q.latencyMs)})
      RETURNING *`;
    return questionView(row);
  }

  /**
   * The `limit` newest questions of `userId`, one index range scan (ApiQuestion_userId_createdAt_idx).
   * Raw SQL: GET /questions is the hot read, and Prisma's findMany took about three times as long.
   */
  async latest(userId: string, limit: number): Promise<QuestionView[]> {
    const rows = await this.prisma.$queryRaw<ApiQuestion[]>`
      SELECT * FROM "ApiQuestion" WHERE "userId" = ${userId}::uuid ORDER BY "createdAt" DESC, "id" DESC LIMIT ${limit}`;
    return rows.map(questionView);
  }

  /** The question with `id`, or null. */
  async findById(id: string): Promise<QuestionView | null> {
    const row = await this.prisma.apiQuestion.findUnique({ where: { id } });
    return row ? questionView(row) : null;
  }

  /** Questions of every user (or of `userId`) created in [from, to), newest first, one page. */
  async list(options: { userId?: string; from?: Date; to?: Date; page: number; pageSize: number }): Promise<Page<QuestionView>> {
    const where: Prisma.ApiQuestionWhereInput = {
      ...(options.userId ? { userId: options.userId } : {}),
      ...(options.from || options.to ? { createdAt: { ...(options.from ? { gte: options.from } : {}), ...(options.to ? { lt: options.to } : {}) } } : {}),
    };
    const [rows, total] = await Promise.all([
      this.prisma.apiQuestion.findMany({ where, orderBy: [{ createdAt: 'desc' }, { id: 'desc' }], skip: (options.page - 1) * options.pageSize, take: options.pageSize }),
      this.prisma.apiQuestion.count({ where }),
    ]);
    return { items: rows.map(questionView), total };
  }
}
