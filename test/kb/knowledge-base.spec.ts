import { PrismaService } from '@kraken/db';
import { chunkBlocks, KbInputError, KbRepository, KnowledgeBase, knowledgeBlock, parseDocument, questionTerms, reciprocalRankFusion, withCitations } from '@kraken/kb';
import { countTokens } from '@kraken/llm';
import { createTestPrisma, type TestPrisma } from '@kraken/testing';
import { sampleDocx } from './support/sample-files';

const MODEL = 'gpt-4o-mini';
const RULES = `# Правила чата

## Реклама
Реклама и ссылки на чужие каналы запрещены. Первое нарушение — предупреждение, второе — бан.

## Оффтоп
Оффтоп разрешён по пятницам в отдельной ветке.

## Встречи
Встречи сообщества проходят в первую субботу месяца в коворкинге «Маяк» на Лиговском проспекте.`;

describe('knowledge base: parsing, chunking and search on PostgreSQL', () => {
  let fixture: TestPrisma;
  let prisma: PrismaService;
  let kb: KnowledgeBase;
  const chat = -100777;

  beforeAll(async () => {
    fixture = await createTestPrisma({ poolSize: 2 });
    prisma = fixture.prisma;
    kb = new KnowledgeBase(new KbRepository(prisma), { chunkTokens: 120, model: MODEL, maxFileBytes: 20 << 20, minScore: 0.3, minSimilarity: 0.5 });
  });
  afterAll(async () => {
    await fixture.close();
  });

  it('parses Markdown, TXT, HTML and DOCX (PDF: see kb-cli.e2e.spec.ts) into headings and paragraphs', async () => {
    const md = await parseDocument(Buffer.from(RULES), 'rules.md');
    expect(md.title).toBe('Правила чата');
    expect(md.blocks.filter((b) => b.kind === 'heading').map((b) => b.text)).toEqual(['Правила чата', 'Реклама', 'Оффтоп', 'Встречи']);
    const html = await parseDocument(Buffer.from('<html><head><title>FAQ</title><style>p{}</style></head><body><h2>Wi-Fi</h2><p>Password: <b>kraken2024</b> &amp; more</p><script>alert(1)</script><table><tr><td>a</td><td>b</td></tr></table></body></html>'), 'faq.html');
    expect(html.title).toBe('FAQ');
    expect(html.blocks).toEqual([
      { kind: 'heading', level: 2, text: 'Wi-Fi' },
      { kind: 'text', text: 'Password: kraken2024 & more' },
      { kind: 'text', text: 'a | b' },
    ]);
    const txt = await parseDocument(Buffer.from('first paragraph\nstill first\n\nsecond'), 'notes.txt');
    expect(txt.blocks.map((b) => b.text)).toEqual(['first paragraph\nstill first', 'second']);
    const docx = await parseDocument(sampleDocx([{ text: 'Office', heading: 1 }, { text: 'The office opens at 9.' }]), 'office.docx');
    expect(docx.blocks).toEqual([{ kind: 'heading', level: 1, text: 'Office' }, { kind: 'text', text: 'The office opens at 9.' }]);
  });

  it('refuses bad files with clear errors', async () => {
    const code = (promise: Promise<unknown>) => promise.then(() => 'ok', (error: unknown) => (error instanceof KbInputError ? error.code : String(error)));
    expect(await code(parseDocument(Buffer.alloc(0), 'empty.md'))).toBe('empty');
    expect(await code(parseDocument(Buffer.alloc(21 << 20, 0x61), 'huge.txt'))).toBe('too-large');
    expect(await code(parseDocument(Buffer.from('zip?'), 'broken.docx'))).toBe('unreadable');
    expect(await code(parseDocument(Buffer.from('x'), 'photo.jpg'))).toBe('unsupported');
    expect(await code(parseDocument(Buffer.from('<p> </p>'), 'blank.html'))).toBe('no-text');
  });

  it('chunks on headings, then paragraphs, never above the limit', () => {
    const long = Array.from({ length: 60 }, (_, i) => `Sentence number ${i} about the rules of the community.`).join(' ');
    const chunks = chunkBlocks(
      [{ kind: 'heading', level: 1, text: 'Rules' }, { kind: 'text', text: 'Short intro.' }, { kind: 'heading', level: 2, text: 'Details' }, { kind: 'text', text: long }, { kind: 'text', text: 'x'.repeat(3000) }],
      { maxTokens: 80, model: MODEL },
    );
    expect(chunks[0]).toMatchObject({ ordinal: 1, heading: 'Rules', content: 'Short intro.' });
    expect(chunks.slice(1).every((c) => c.heading === 'Rules › Details')).toBe(true);
    expect(chunks.length).toBeGreaterThan(5);
    for (const chunk of chunks) expect(countTokens(chunk.content, MODEL)).toBeLessThanOrEqual(80);
    expect(chunks.map((c) => c.ordinal)).toEqual(chunks.map((_, i) => i + 1));
  });

  it('finds sections in Russian and English, scoped to the chat, and replaces a re-added file', async () => {
    const first = await kb.addFile(Buffer.from(RULES), 'rules.md', { chatId: chat });
    expect(first).toMatchObject({ title: 'rules', embedded: false });
    await kb.addFile(Buffer.from('# Parking\n\nParking is free for members after 6 pm at the back entrance.'), 'parking.md', { chatId: null });
    await kb.addFile(Buffer.from('# Secret\n\nThe other chat meets on Tuesdays.'), 'secret.md', { chatId: -100999 });

    const [hit] = await kb.relevant('Когда проходят встречи сообщества?', chat, 3);
    expect(hit).toMatchObject({ title: 'rules', heading: 'Правила чата › Встречи' });
    expect(hit.score).toBeGreaterThanOrEqual(0.3);
    expect((await kb.relevant('where can members park?', chat, 3))[0].title).toBe('parking');
    expect(await kb.relevant('When does the other chat meet on Tuesdays?', chat, 3)).toEqual([]);
    expect(await kb.relevant('Какой пароль от wi-fi в офисе?', chat, 3)).toEqual([]);

    const again = await kb.addFile(Buffer.from('# Правила\n\nВстречи теперь по воскресеньям.'), 'rules.md', { chatId: chat });
    expect(again.id).not.toBe(first.id);
    const docs = await kb.list(chat);
    expect(docs.map((d) => d.title).sort()).toEqual(['parking', 'rules']);
    expect((await kb.relevant('Когда встречи?', chat, 3))[0].content).toContain('воскресеньям');
  });

  it('reads questions with tsquery and SQL syntax as plain words', async () => {
    for (const question of ["встречи & | ! :* '", "a:* & !b | (c", "'); DROP TABLE \"KbChunk\"; --", '!!!', ':*', '&', '"', '\\', 'реклама <-> бан', 'ж'.repeat(5000)]) {
      await expect(kb.search(question, chat, 5)).resolves.toEqual(expect.any(Array));
    }
    expect((await kb.search('parking & free!', chat, 5))[0].title).toBe('parking');
    expect(questionTerms('a a A b')).toEqual(['a', 'b']);
  });

  it('indexes a document in a third language without failing', async () => {
    await kb.addText('# Règles\n\nLes réunions ont lieu le samedi au café Lumière.', { chatId: chat });
    expect((await kb.search('café Lumière', chat, 3))[0].title).toBe('Règles');
  });

  it('builds the prompt block within its budget and cites the sections', () => {
    const hits = [1, 2, 3].map((n) => ({ chunkId: n, documentId: 1, title: 'Rules', ordinal: n, heading: `H${n}`, content: 'слово '.repeat(200), tokens: 200, score: 0.9 }));
    const block = knowledgeBlock(hits, MODEL, 150);
    expect(block.tokens).toBeLessThanOrEqual(150);
    expect(block.citations[0]).toBe('📎 Rules, §1');
    expect(block.text).toContain('[📎 Rules, §1] H1');
    expect(withCitations('Ответ.', ['📎 Rules, §1'])).toBe('Ответ.\n\n📎 Rules, §1');
    expect(reciprocalRankFusion([['a', 'b'], ['b', 'c']]).map((r) => r.item)).toEqual(['b', 'a', 'c']);
  });
});
