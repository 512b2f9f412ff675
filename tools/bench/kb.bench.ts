import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PrismaService } from '@kraken/db';
import { KbRepository, KnowledgeBase } from '@kraken/kb';
import { botApiDocuments } from '../kb/bot-api-docs';
import { BOT_API_QUESTIONS } from '../kb/bot-api-questions';
import { benchDatabase, percentile, ROOT } from './bench-env';

/** Results of the knowledge-base benchmark. */
export interface KbFigures {
  questions: number;
  /** Share of questions whose method is the first / among the first five results (Bot API docs only). */
  recallAt1: number;
  recallAt5: number;
  /** The same with filler documents added up to `chunks` sections. */
  recallAt5Large: number;
  chunks: number;
  queries: number;
  /** Query latency at `chunks` sections, ms. */
  p50Ms: number;
  p99Ms: number;
}

const FILLER_WORDS = ['community', 'meeting', 'schedule', 'project', 'release', 'server', 'coffee', 'weekend', 'budget', 'design', 'invoice', 'travel', 'garden', 'music', 'network', 'library', 'python', 'kitchen', 'sport', 'market', 'встреча', 'проект', 'релиз', 'бюджет', 'дизайн', 'сервер', 'кофе', 'выходные'];

/** A deterministic filler document of `sections` sections of ~60 words. */
function filler(doc: number, sections: number): string {
  const parts = [`# Handbook ${doc}`];
  for (let s = 0; s < sections; s++) {
    const words = Array.from({ length: 60 }, (_, w) => FILLER_WORDS[(doc * 131 + s * 17 + w * 7 + ((w * w) % 5)) % FILLER_WORDS.length]);
    parts.push(`## Part ${s} ${FILLER_WORDS[(doc + s) % FILLER_WORDS.length]}`, `${words.join(' ')}.`);
  }
  return parts.join('\n\n');
}

/**
 * Knowledge-base retrieval with PostgreSQL full-text search alone: the Bot API documentation (one
 * document per method and type, tools/kb/bot-api-docs.ts) and the question set of
 * tools/kb/bot-api-questions.ts give recall@1 and recall@5; then filler documents bring the index to
 * 10,000 sections, and the question set is asked `rounds` times for the query latency (p50/p99) and
 * recall at that size.
 */
export async function benchKb(options = { chunks: 10_000, rounds: 5 }): Promise<KbFigures> {
  const db = await benchDatabase();
  const prisma = new PrismaService({ databaseUrl: db.url, poolSize: 4 });
  try {
    await prisma.$connect();
    const repository = new KbRepository(prisma);
    const kb = new KnowledgeBase(repository, { chunkTokens: 300, model: 'gpt-4o-mini', maxFileBytes: 20 << 20, minScore: 0.3, minSimilarity: 0.5 });
    const spec = JSON.parse(readFileSync(join(ROOT, 'test', 'fixtures', 'telegram-bot-api', 'api.json'), 'utf8'));
    for (const document of botApiDocuments(spec)) await kb.addFile(Buffer.from(document.markdown), `${document.name}.md`, { chatId: null });
    const recall = async () => {
      let at1 = 0;
      let at5 = 0;
      for (const { question, method } of BOT_API_QUESTIONS) {
        const titles = (await kb.search(question, null, 5)).map((h) => h.title);
        if (titles[0] === method) at1++;
        if (titles.includes(method)) at5++;
      }
      return { at1: at1 / BOT_API_QUESTIONS.length, at5: at5 / BOT_API_QUESTIONS.length };
    };
    const small = await recall();

    const count = async () => Number((await prisma.$queryRaw<Array<{ n: bigint }>>`SELECT count(*) AS n FROM "KbChunk"`)[0].n);
    let chunks = await count();
    for (let doc = 0; chunks < options.chunks; doc++) {
      const sections = Math.min(100, options.chunks - chunks);
      await kb.addText(filler(doc, sections), { chatId: null, title: `Handbook ${doc}` });
      chunks = await count();
    }
    await prisma.$executeRawUnsafe('ANALYZE "KbChunk"');
    await prisma.$executeRawUnsafe('ANALYZE "KbDocument"');

    const latencies: number[] = [];
    for (let round = 0; round < options.rounds; round++) {
      for (const { question } of BOT_API_QUESTIONS) {
        const started = performance.now();
        await kb.search(question, -100_123, 5);
        latencies.push(performance.now() - started);
      }
    }
    const large = await recall();
    return {
      questions: BOT_API_QUESTIONS.length,
      recallAt1: small.at1,
      recallAt5: small.at5,
      recallAt5Large: large.at5,
      chunks,
      queries: latencies.length,
      p50Ms: percentile(latencies, 50),
      p99Ms: percentile(latencies, 99),
    };
  } finally {
    await prisma.$disconnect();
    await db.drop();
  }
}
