import { runCli } from '../support/processes';
import { ApiHarness, expectErrorShape, type TestAccount } from './api-harness';

const CHAT = -1001234567890;
const RULES = `# Chat rules

## Advertising

Advertising of any kind needs the moderators' consent; unsolicited adverts get a warning.

## Language

Write in Russian or English. Be kind to newcomers.
`;

/** Issues 12 and 14: the knowledge base for the dashboard (`/admin/kb`), admins only. */
describe('API /admin/kb', () => {
  const api = new ApiHarness();
  let admin: TestAccount;
  let user: TestAccount;
  const search = (query: string) => api.request('GET', `/admin/kb/search?${query}`, { token: admin.accessToken });

  beforeAll(async () => {
    await api.start();
    admin = await api.admin();
    user = await api.account();
  });
  afterAll(() => api.stop());

  it('adds a Markdown document for a chat, finds it with a score, lists it, removes it', async () => {
    const added = await api.request('POST', '/admin/kb/documents', { token: admin.accessToken, body: { title: 'Chat rules', chatId: CHAT, format: 'markdown', content: RULES } });
    expect(added.status).toBe(201);
    expect(added.body).toEqual({ id: expect.any(Number), title: 'Chat rules', format: 'markdown', chatId: CHAT, chunkCount: expect.any(Number), createdAt: expect.any(String) });
    expect(added.body.chunkCount).toBeGreaterThanOrEqual(1);
    expect(Date.parse(added.body.createdAt)).not.toBeNaN();

    const found = await search(`q=${encodeURIComponent('unsolicited advertising')}&chatId=${CHAT}`);
    expect(found.status).toBe(200);
    expect(found.body.length).toBeGreaterThanOrEqual(1);
    expect(found.body[0]).toMatchObject({ document: 'Chat rules', section: expect.any(Number), chunk: expect.stringContaining('unsolicited adverts'), score: expect.any(Number) });
    expect(found.body[0].score).toBeGreaterThan(0);
    const scores = found.body.map((r: { score: number }) => r.score);
    expect(scores).toEqual([...scores].sort((a, b) => b - a));
    // A chat's document is not searched for other chats or for "every chat".
    expect((await search(`q=${encodeURIComponent('unsolicited advertising')}`)).body).toEqual([]);
    expect((await search(`q=${encodeURIComponent('unsolicited advertising')}&chatId=42`)).body).toEqual([]);

    const listed = await api.request('GET', `/admin/kb/documents?chatId=${CHAT}`, { token: admin.accessToken });
    expect(listed.status).toBe(200);
    expect(listed.body.items).toContainEqual(added.body);
    expect((await api.request('GET', '/admin/kb/documents', { token: admin.accessToken })).body.items.map((d: { id: number }) => d.id)).not.toContain(added.body.id);

    const removed = await api.request('DELETE', `/admin/kb/documents/${added.body.id}`, { token: admin.accessToken });
    expect(removed.status).toBe(204);
    expect((await search(`q=${encodeURIComponent('unsolicited advertising')}&chatId=${CHAT}`)).body).toEqual([]);
    expect((await api.request('GET', `/admin/kb/documents?chatId=${CHAT}`, { token: admin.accessToken })).body.items).toEqual([]);
    expectErrorShape(await api.request('DELETE', `/admin/kb/documents/${added.body.id}`, { token: admin.accessToken }), 404);
  });

  it('answers questions with tsquery and SQL syntax characters with 200, never a PostgreSQL parser error', async () => {
    const added = await api.request('POST', '/admin/kb/documents', { token: admin.accessToken, body: { title: 'Operators', format: 'text', content: 'Use the pipe | and the ampersand & with care.\n\nPrefix search: word:* matches words.' } });
    expect(added.status).toBe(201);
    for (const q of ['advertising & | ! :*', '&', '| | |', '!!', ':*', "word:* & 'quote' \"double\"", "'); DROP TABLE \"KbChunk\"; --", 'ampersand & !pipe | word:*']) {
      const res = await search(`q=${encodeURIComponent(q)}`);
      expect([q, res.status]).toEqual([q, 200]);
      expect(Array.isArray(res.body)).toBe(true);
    }
    expect((await search(`q=${encodeURIComponent('ampersand & !pipe | word:*')}`)).body[0]).toMatchObject({ document: 'Operators' });
    expect((await api.request('DELETE', `/admin/kb/documents/${added.body.id}`, { token: admin.accessToken })).status).toBe(204);
  });

  it('stores documents for every chat (HTML too) and returns what `kraken kb search --json` prints', async () => {
    const html = await api.request('POST', '/admin/kb/documents', {
      token: admin.accessToken,
      body: { title: 'Moderation FAQ', format: 'html', content: '<html><body><h1>Moderation</h1><h2>Bans</h2><p>A ban for spam lasts seven days; appeals go to the moderators.</p></body></html>' },
    });
    expect(html.status).toBe(201);
    expect(html.body).toMatchObject({ format: 'html', chatId: null });
    // Documents for every chat are listed with and without a chat, and searched in every chat.
    expect((await api.request('GET', '/admin/kb/documents', { token: admin.accessToken })).body.items.map((d: { id: number }) => d.id)).toContain(html.body.id);
    expect((await api.request('GET', `/admin/kb/documents?chatId=${CHAT}`, { token: admin.accessToken })).body.items.map((d: { id: number }) => d.id)).toContain(html.body.id);
    const viaApi = await search(`q=${encodeURIComponent('how long does a spam ban last')}&chatId=${CHAT}&limit=3`);
    expect(viaApi.body[0]).toMatchObject({ document: 'Moderation FAQ', chunk: expect.stringContaining('seven days') });
    const viaCli = await runCli(['kb', 'search', 'how long does a spam ban last', '--chat', String(CHAT), '--limit', '3', '--json'], { DATABASE_URL: api.env.DATABASE_URL, LOG_LEVEL: 'silent' });
    expect(viaCli).toMatchObject({ code: 0, stderr: '' });
    expect(viaApi.body).toEqual(JSON.parse(viaCli.stdout));
  });

  it('refuses invalid requests and documents without text with 400', async () => {
    const post = (body: unknown) => api.request('POST', '/admin/kb/documents', { token: admin.accessToken, body });
    for (const body of [
      {},
      { title: 'x', format: 'pdf', content: 'text' },
      { title: '', format: 'text', content: 'text' },
      { title: 'a/b', format: 'text', content: 'text' },
      { title: 'x', format: 'text', content: '' },
      { title: 'x', format: 'text', content: 'text', chatId: 1.5 },
      { title: 'x', format: 'text', content: 'text', addedById: 1 },
    ]) {
      expectErrorShape(await post(body), 400);
    }
    const blank = await post({ title: 'Blank', format: 'markdown', content: '   \n\n  ' });
    expectErrorShape(blank, 400);
    expect(blank.body.message).toMatch(/no text|empty/);
    expectErrorShape(await post({ title: 'Empty page', format: 'html', content: '<html><body></body></html>' }), 400);
    for (const query of ['', 'q=', 'q=x&limit=0', 'q=x&limit=51', 'q=x&chatId=abc', 'q=x&sql=1']) expectErrorShape(await search(query), 400);
    expectErrorShape(await api.request('GET', '/admin/kb/documents?chatId=', { token: admin.accessToken }), 400);
    for (const id of ['abc', '0', '-1', '1.5', '99999999999999999999']) expectErrorShape(await api.request('DELETE', `/admin/kb/documents/${id}`, { token: admin.accessToken }), 400);
    expectErrorShape(await api.request('POST', '/admin/kb/documents', { token: admin.accessToken, raw: 'plain', contentType: 'text/plain' }), 415);
    expectErrorShape(await post({ title: 'Huge', format: 'text', content: 'word '.repeat(20_000) }), 413);
  });

  it('refuses non-admins with 403 and anonymous callers with 401', async () => {
    const calls: Array<[string, string, unknown?]> = [
      ['GET', '/admin/kb/documents'],
      ['POST', '/admin/kb/documents', { title: 'Sneaky', format: 'text', content: 'sneaky' }],
      ['DELETE', '/admin/kb/documents/1'],
      ['GET', '/admin/kb/search?q=rules'],
    ];
    for (const [method, path, body] of calls) {
      expectErrorShape(await api.request(method, path, { token: user.accessToken, body }), 403);
      expectErrorShape(await api.request(method, path, { body }), 401);
    }
    expect((await api.request('GET', '/admin/kb/documents', { token: admin.accessToken })).body.items.map((d: { title: string }) => d.title)).not.toContain('Sneaky');
  });
});
