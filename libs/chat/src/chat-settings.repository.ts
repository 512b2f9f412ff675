import { QUESTION_POLICIES, type QuestionPolicy } from '@kraken/config';
import type { PrismaClient } from '@kraken/db';

/** A chat's stored question policy (null: the chat uses CHAT_QUESTION_POLICY). */
export interface ChatQuestionPolicy {
  /** Bot API chat id. */
  chatId: number;
  policy: QuestionPolicy | null;
}

/**
 * Per-chat settings in PostgreSQL (`ChatSetting`, one row per chat), the durable copy of what admins
 * set with `/policy`; ChatPolicyStore mirrors them into Redis for the gateway. Prisma's typed client:
 * single-row upserts and one full read need no raw SQL.
 */
export class ChatSettingsRepository {
  constructor(private readonly prisma: Pick<PrismaClient, 'chatSetting'>) {}

  /** Stores `policy` as chat `chatId`'s question policy (creating its row). @throws the database error */
  async setQuestionPolicy(chatId: number, policy: QuestionPolicy): Promise<void> {
    const id = BigInt(chatId);
    await this.prisma.chatSetting.upsert({ where: { chatId: id }, create: { chatId: id, questionPolicy: policy }, update: { questionPolicy: policy } });
  }

  /**
   * Every chat's stored policy; a value that is not one of QUESTION_POLICIES (a row written by an older
   * version) reads as null. @throws the database error
   */
  async questionPolicies(): Promise<ChatQuestionPolicy[]> {
    const rows = await this.prisma.chatSetting.findMany({ select: { chatId: true, questionPolicy: true } });
    return rows.map((row) => ({
      chatId: Number(row.chatId),
      policy: QUESTION_POLICIES.includes(row.questionPolicy as QuestionPolicy) ? (row.questionPolicy as QuestionPolicy) : null,
    }));
  }
}
