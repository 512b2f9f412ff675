import { Client } from 'pg';
import { PrismaService } from '@kraken/db';
import { EmbeddingsClient, KbRepository, KbVectorStore, KnowledgeBase } from '@kraken/kb';
import { createTestPrisma, FakeLlmServer, TEST_PG_ADMIN_URL, type TestPrisma } from '@kraken/testing';

/**
 * Optional embeddings: with KB_EMBEDDINGS_MODEL set, sections are embedded through the provider's
 * `/embeddings` (the fake server's) when the PostgreSQL server has pgvector; without it, search stays
 * full-text. The pgvector case runs only where the extension is installed (not on the development
 * machine, whose Debian PostgreSQL 15 has no pgvector package).
 */
describe('knowledge base with embeddings', () => {
  const llm = new FakeLlmServer();
  let fixture: TestPrisma;
  let prisma: PrismaService;
  let kb: KnowledgeBase;
  let pgvector = false;

  beforeAll(async () => {
    await llm.start();
    fixture = await createTestPrisma({ poolSize: 2 });
    prisma = fixture.prisma;
    const admin = new Client({ connectionString: TEST_PG_ADMIN_URL });
    await admin.connect();
    pgvector = (await admin.query(`SELECT 1 FROM pg_available_extensions WHERE name = 'vector'`)).rowCount === 1;
    await admin.end();
    const embeddings = new EmbeddingsClient({ baseUrl: llm.baseUrl, apiKey: 'sk', model: 'fake-embed', timeoutMs: 2000 });
    kb = new KnowledgeBase(new KbRepository(prisma), { chunkTokens: 100, model: 'gpt-4o-mini', maxFileBytes: 1 << 20, minScore: 0.3, minSimilarity: 0.5, embeddings, vectors: new KbVectorStore(prisma) });
  });
  afterAll(async () => {
    await llm.stop();
    await fixture.close();
  });

  it('embeds and fuses with pgvector; without it, adds and finds with full-text search only', async () => {
    const added = await kb.addText('# Garden\n\nTomatoes and cucumbers grow in the greenhouse.', { chatId: -2 });
    const [hit] = await kb.search('greenhouse tomatoes', -2, 3);
    expect(hit).toMatchObject({ title: 'Garden' });
    if (pgvector) {
      expect(added.embedded).toBe(true);
      expect(llm.embeddingRequests.length).toBeGreaterThanOrEqual(2); // the sections, then the question
      expect(hit.similarity).toBeGreaterThan(0.5);
      expect(hit.fused).toBeGreaterThan(0);
    } else {
      expect(added.embedded).toBe(false);
      expect(llm.embeddingRequests).toHaveLength(0);
      expect(hit.similarity).toBeUndefined();
    }
  });
});
