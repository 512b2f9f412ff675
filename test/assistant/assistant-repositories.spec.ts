import { join } from 'node:path';
import { AssistantSessionRepository, buildSessionPrompt, parseAssistantCallback, assistantCallbackData, sessionTokens, titleFrom, type AssistantExchange } from '@kraken/assistant';
import { PrismaService } from '@kraken/db';
import { countMessagesTokens, countTokens, ModelRegistry, ModelRegistryRepository, pricesOf, readModelSeed } from '@kraken/llm';
import { createTestPrisma, type TestPrisma } from '@kraken/testing';

const SEED = join(__dirname, '..', '..', 'config', 'models.json');
const ALICE = 7_001;
const BOB = 7_002;

const exchange = (question: string, answer: string): AssistantExchange => ({
  question: { role: 'user', text: question, tokens: 3 },
  answer: { role: 'assistant', text: answer, tokens: 4, reportedTokens: 5 },
});

describe('assistant repositories on PostgreSQL', () => {
  let fixture: TestPrisma;
  let prisma: PrismaService;
  let sessions: AssistantSessionRepository;
  let models: ModelRegistryRepository;

  beforeAll(async () => {
    fixture = await createTestPrisma();
    prisma = fixture.prisma;
    sessions = new AssistantSessionRepository(prisma);
    models = new ModelRegistryRepository(prisma);
  });
  afterAll(() => fixture.close());

  test('the registry is seeded from config/models.json once; an admin edit survives a second seed', async () => {
    const seed = readModelSeed(SEED);
    expect(seed.length).toBeGreaterThanOrEqual(5);
    expect(await models.seed(seed)).toBe(seed.length);
    await prisma.llmModel.update({ where: { id: 'gpt-4o-mini' }, data: { outputUsdPerM: 0.7, enabled: false } });
    expect(await models.seed(seed)).toBe(0);
    const mini = await models.find('gpt-4o-mini');
    expect(mini).toMatchObject({ id: 'gpt-4o-mini', provider: 'openai', contextWindow: 128000, outputLimitParam: 'max_tokens', inputUsdPerM: 0.15, cachedInputUsdPerM: 0.075, outputUsdPerM: 0.7, vision: true, enabled: false, known: true });
    expect(await models.find('o4-mini')).toMatchObject({ outputLimitParam: 'max_completion_tokens', responsesApi: true });
    expect((await models.list(true)).map((m) => m.id)).not.toContain('gpt-4o-mini');
    expect((await models.list()).map((m) => m.id)).toContain('gpt-4o-mini');
  });

  test('an unknown model gets safe defaults, never an exception', async () => {
    const spec = await new ModelRegistry(models).spec('gpt-9-imaginary');
    expect(spec).toMatchObject({ id: 'gpt-9-imaginary', known: false, contextWindow: 8192, outputLimitParam: 'max_tokens', inputUsdPerM: 0, outputUsdPerM: 0, vision: false, enabled: false });
  });

  test('prices come from the registry: the seed under LLM_PRICES', () => {
    expect(pricesOf(readModelSeed(SEED))['gpt-4o-mini']).toEqual({ input: 0.15, output: 0.6 });
  });

  test('a seed file that does not match the schema is refused with its path and field', () => {
    expect(() => readModelSeed(join(__dirname, 'no-such-models.json'))).toThrow(/no-such-models\.json/);
  });

  test('sessions: current is the last active, exchanges are stored once per request key, titled from the first question', async () => {
    const t0 = new Date('2026-11-01T10:00:00Z');
    const first = await sessions.create(ALICE, { model: 'gpt-4o-mini', at: t0 });
    expect(await sessions.current(ALICE)).toMatchObject({ id: first.id, title: null, mode: 'assistant', systemPrompt: null });
    await sessions.addExchange(first.id, 'ast-1', exchange('Как варить кальмара?', 'Три минуты.'), { at: new Date('2026-11-01T10:01:00Z'), title: 'Как варить кальмара?' });
    await sessions.addExchange(first.id, 'ast-1', exchange('again', 'again'), { at: new Date('2026-11-01T10:02:00Z'), title: 'again' });
    await sessions.addExchange(first.id, 'ast-2', exchange('А осьминога?', 'Дольше.'), { at: new Date('2026-11-01T10:03:00Z'), title: 'А осьминога?' });
    expect(await sessions.turns(first.id)).toEqual([
      { role: 'user', text: 'Как варить кальмара?', tokens: 3 },
      { role: 'assistant', text: 'Три минуты.', tokens: 4 },
      { role: 'user', text: 'А осьминога?', tokens: 3 },
      { role: 'assistant', text: 'Дольше.', tokens: 4 },
    ]);
    expect((await sessions.exchange('ast-1'))?.answer).toMatchObject({ text: 'Три минуты.', reportedTokens: 5 });
    expect(await sessions.exchange('ast-404')).toBeNull();
    const titled = await sessions.find(ALICE, first.id);
    expect(titled).toMatchObject({ title: 'Как варить кальмара?', lastActiveAt: new Date('2026-11-01T10:03:00Z') });

    const second = await sessions.create(ALICE, { model: 'gpt-4o', title: 'Второй', at: new Date('2026-11-01T11:00:00Z') });
    expect((await sessions.current(ALICE))?.id).toBe(second.id);
    expect((await sessions.list(ALICE, 10)).map((s) => s.id)).toEqual([second.id, first.id]);
    expect(await sessions.activate(ALICE, first.id, new Date('2026-11-01T12:00:00Z'))).toBe(true);
    expect((await sessions.current(ALICE))?.id).toBe(first.id);
  });

  test('first sessions made at once for one user are one session', async () => {
    const user = 7_003;
    const made = await Promise.all(Array.from({ length: 8 }, () => sessions.currentOrCreate(user, { model: 'gpt-4o-mini' })));
    expect(new Set(made.map((s) => s.id)).size).toBe(1);
    expect(await sessions.list(user, 10)).toHaveLength(1);
    expect((await sessions.currentOrCreate(user, { model: 'other' })).model).toBe('gpt-4o-mini');
  });

  test("another user's session id, or a forged one, reads as missing and changes nothing", async () => {
    const alices = await sessions.create(ALICE, { model: 'gpt-4o-mini', title: 'Секрет' });
    await sessions.addExchange(alices.id, 'ast-secret', exchange('q', 'a'), { at: new Date(), title: 'q' });
    expect(await sessions.find(BOB, alices.id)).toBeNull();
    expect(await sessions.find(BOB, "' OR 1=1 --")).toBeNull();
    expect(await sessions.update(BOB, alices.id, { title: 'hacked', systemPrompt: 'x' })).toBe(false);
    expect(await sessions.activate(BOB, alices.id)).toBe(false);
    expect(await sessions.clear(BOB, alices.id)).toBe(0);
    expect(await sessions.delete(BOB, alices.id)).toBe(false);
    expect(await sessions.delete(BOB, 'not-a-uuid')).toBe(false);
    expect(await sessions.find(ALICE, alices.id)).toMatchObject({ title: 'Секрет', systemPrompt: null });
    expect(await sessions.turnCount(alices.id)).toBe(2);
    expect(await sessions.current(BOB)).toBeNull();

    expect(await sessions.update(ALICE, alices.id, { model: 'gpt-4.1', mode: 'teacher', systemPrompt: 'Be brief.' })).toBe(true);
    expect(await sessions.find(ALICE, alices.id)).toMatchObject({ model: 'gpt-4.1', mode: 'teacher', systemPrompt: 'Be brief.' });
    expect(await sessions.clear(ALICE, alices.id)).toBe(2);
    expect(await sessions.delete(ALICE, alices.id)).toBe(true);
    expect(await sessions.find(ALICE, alices.id)).toBeNull();
  });
});

describe('assistant prompt, titles and callback data', () => {
  test('the prompt keeps the newest turns that fit the window with the output limit, dropping whole exchanges', () => {
    const turns = Array.from({ length: 40 }, (_, i) => ({ role: (i % 2 === 0 ? 'user' : 'assistant') as 'user' | 'assistant', text: `turn ${i} `.repeat(20), tokens: 0 }));
    const prompt = buildSessionPrompt({ system: 'Be kind.', turns, question: 'And now?', model: 'gpt-4o-mini', contextWindow: 1200, maxOutputTokens: 300 });
    expect(prompt.promptTokens).toBeLessThanOrEqual(900);
    expect(prompt.promptTokens).toBe(countMessagesTokens(prompt.messages, 'gpt-4o-mini'));
    expect(prompt.droppedTurns % 2).toBe(0);
    expect(prompt.messages[0]).toEqual({ role: 'system', content: 'Be kind.' });
    expect(prompt.messages[1].role).toBe('user');
    expect(prompt.messages.at(-2)?.content).toBe(turns.at(-1)!.text);
    expect(prompt.messages.at(-1)).toEqual({ role: 'user', content: 'And now?' });
    const whole = buildSessionPrompt({ system: 'Be kind.', turns, question: 'And now?', model: 'gpt-4o-mini', contextWindow: 128000, maxOutputTokens: 2000 });
    expect(whole.droppedTurns).toBe(0);
    // The question adds its tokens and one message's chat overhead (3) to what the session holds.
    expect(whole.promptTokens).toBe(sessionTokens('Be kind.', turns, 'gpt-4o-mini') + 3 + countTokens('And now?', 'gpt-4o-mini'));
  });

  test('titles come from the first line, cut on a word', () => {
    expect(titleFrom('  Как  сварить\nкальмара?')).toBe('Как сварить');
    const long = titleFrom('word '.repeat(30));
    expect(long).toMatch(/^word( word)+…$/);
    expect([...long].length).toBeLessThanOrEqual(48);
    expect([...titleFrom('x'.repeat(100))].length).toBeLessThanOrEqual(48);
  });

  test('callback data round-trips; forged payloads read as null', () => {
    const id = '0b7c6a52-5d1c-4c41-9d0e-3f2a1b4c5d6e';
    for (const action of [{ action: 'switch', sessionId: id }, { action: 'delete', sessionId: id }, { action: 'model', model: 'gpt-4o-mini' }, { action: 'mode', mode: 'teacher' }] as const) {
      expect(parseAssistantCallback(assistantCallbackData(action)!)).toEqual(action);
    }
    for (const forged of ['as:sw:1', 'as:sw:' + id + 'x', 'as:mo:hacker', 'as:zz:' + id, 'as:', 'meme:a:1', 'as:m:' + 'x'.repeat(80), 'as:m:a b']) {
      expect(parseAssistantCallback(forged)).toBeNull();
    }
    expect(assistantCallbackData({ action: 'model', model: 'm'.repeat(70) })).toBeNull();
  });
});
