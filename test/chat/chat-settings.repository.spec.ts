import { ChatSettingsRepository } from '@kraken/chat';
import { PrismaService } from '@kraken/db';
import { createTestPrisma, type TestPrisma } from '@kraken/testing';

describe('ChatSettingsRepository on PostgreSQL', () => {
  let fixture: TestPrisma;
  let prisma: PrismaService;

  beforeAll(async () => {
    fixture = await createTestPrisma({ poolSize: 2 });
    prisma = fixture.prisma;
  });
  afterAll(async () => {
    await fixture.close();
  });

  test('stores one policy per chat, a later one replacing it, and reads an unknown stored value as null', async () => {
    const settings = new ChatSettingsRepository(prisma);
    expect(await settings.questionPolicies()).toEqual([]);
    await settings.setQuestionPolicy(-1001, 'off');
    await settings.setQuestionPolicy(-1002, 'all');
    await settings.setQuestionPolicy(-1001, 'quiet');
    await prisma.chatSetting.create({ data: { chatId: -1003n, questionPolicy: 'sometimes' } });
    const byChat = (rows: Awaited<ReturnType<ChatSettingsRepository['questionPolicies']>>) => [...rows].sort((a, b) => b.chatId - a.chatId);
    expect(byChat(await settings.questionPolicies())).toEqual([
      { chatId: -1001, policy: 'quiet' },
      { chatId: -1002, policy: 'all' },
      { chatId: -1003, policy: null },
    ]);
    expect(await prisma.chatSetting.count()).toBe(3);
  });
});
