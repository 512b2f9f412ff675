import { join } from 'node:path';
import { readFileSync } from 'node:fs';
import { PrismaService } from '@kraken/db';
import { KbRepository, KnowledgeBase } from '@kraken/kb';
import { botApiDocuments } from '../../tools/kb/bot-api-docs';
import { createTestPrisma, type TestPrisma } from '@kraken/testing';
import { BOT_API_QUESTIONS } from '../../tools/kb/bot-api-questions';

const SPEC = join(__dirname, '..', 'fixtures', 'telegram-bot-api', 'api.json');

/**
 * Issue 14, done-when: the Bot API documentation as a knowledge base (one document per method and
 * type, made by tools/kb/bot-api-docs.ts) and the questions of bot-api-questions.ts: full-text search
 * alone finds the right method in the top 5 for at least 90 % of them.
 */
describe('knowledge base: the Bot API documentation, full-text search only', () => {
  let fixture: TestPrisma;
  let prisma: PrismaService;
  let kb: KnowledgeBase;

  beforeAll(async () => {
    fixture = await createTestPrisma({ poolSize: 4 });
    prisma = fixture.prisma;
    kb = new KnowledgeBase(new KbRepository(prisma), { chunkTokens: 300, model: 'gpt-4o-mini', maxFileBytes: 20 << 20, minScore: 0.3, minSimilarity: 0.5 });
    const documents = botApiDocuments(JSON.parse(readFileSync(SPEC, 'utf8')));
    for (const document of documents) await kb.addFile(Buffer.from(document.markdown), `${document.name}.md`, { chatId: null });
  });
  afterAll(async () => {
    await fixture.close();
  });

  it('finds the right method in the top 5 for at least 90 % of the questions', async () => {
    let top1 = 0;
    let top5 = 0;
    const misses: string[] = [];
    for (const { question, method } of BOT_API_QUESTIONS) {
      const titles = (await kb.search(question, -100, 5)).map((h) => h.title);
      if (titles[0] === method) top1++;
      if (titles.includes(method)) top5++;
      else misses.push(`${question} → ${method}; got ${titles.join(', ')}`);
    }
    const recall5 = top5 / BOT_API_QUESTIONS.length;
    process.stdout.write(`recall@1 ${(top1 / BOT_API_QUESTIONS.length).toFixed(2)}, recall@5 ${recall5.toFixed(2)}\n${misses.join('\n')}\n`);
    expect(BOT_API_QUESTIONS.length).toBeGreaterThanOrEqual(40);
    expect(recall5).toBeGreaterThanOrEqual(0.9);
  });
});
