import { runCli } from '../support/processes';

/** Runs `kraken users create-admin` (the built CLI) with `stdin` piped in. */
const createAdmin = (args: string[], stdin: string, env: Record<string, string>) => runCli(['users', 'create-admin', ...args], env, { stdin });
import { ApiHarness, expectErrorShape, type TestAccount } from './api-harness';

/** Issue 12: the first admin from the CLI, and the admin endpoints. */
describe('API administration', () => {
  const api = new ApiHarness();
  let admin: TestAccount;

  beforeAll(async () => {
    await api.start();
    const email = api.email('first-admin');
    const created = await createAdmin(['--email', email.toUpperCase(), '--name', 'Root'], 'the admin password\n', { DATABASE_URL: api.env.DATABASE_URL });
    expect(created).toMatchObject({ code: 0, stdout: expect.stringContaining(`created admin ${email}`) });
    admin = { ...(await api.login(email, 'the admin password')), id: '', email, password: 'the admin password', name: 'Root' };
    admin.id = (await api.request('GET', '/users/me', { token: admin.accessToken })).body.id;
  });
  afterAll(() => api.stop());

  describe('kraken users create-admin', () => {
    it('made an admin with the password from stdin', async () => {
      expect((await api.request('GET', '/users/me', { token: admin.accessToken })).body).toMatchObject({ role: 'admin', name: 'Root' });
    });

    it('refuses a taken email, a short password and a look-alike email, creating nothing', async () => {
      const env = { DATABASE_URL: api.env.DATABASE_URL };
      expect(await createAdmin(['--email', admin.email], 'another password\n', env)).toMatchObject({ code: 1, stderr: expect.stringContaining('exists already') });
      const fresh = api.email('short');
      expect(await createAdmin(['--email', fresh], 'short\n', env)).toMatchObject({ code: 1, stderr: expect.stringContaining('at least 10 characters') });
      expect(await createAdmin(['--email', 'аdmin@example.com'], 'long enough password\n', env)).toMatchObject({ code: 1, stderr: expect.stringContaining('ASCII') });
      expect(await api.prisma!.apiUser.count({ where: { email: fresh } })).toBe(0);
    });
  });

  describe('GET /admin/users', () => {
    it('pages accounts newest first and searches email and name case-insensitively', async () => {
      const tag = `zeta${Date.now()}`;
      const made: TestAccount[] = [];
      for (let i = 0; i < 3; i++) made.push(await api.account({ email: api.email(`${tag}-${i}`), name: `Member ${i}` }));
      const named = await api.account({ name: `Dr ${tag.toUpperCase()} 100%_sure` });
      const page1 = await api.request('GET', `/admin/users?search=${tag}&pageSize=2`, { token: admin.accessToken });
      expect(page1.status).toBe(200);
      expect(page1.body).toMatchObject({ total: 4, page: 1, pageSize: 2 });
      expect(page1.body.items.map((u: { id: string }) => u.id)).toEqual([named.id, made[2].id]);
      const page2 = await api.request('GET', `/admin/users?search=${tag}&pageSize=2&page=2`, { token: admin.accessToken });
      expect(page2.body.items.map((u: { id: string }) => u.id)).toEqual([made[1].id, made[0].id]);
      expect(page2.body.items[0]).not.toHaveProperty('passwordHash');
      const literal = await api.request('GET', `/admin/users?search=${encodeURIComponent('%_')}`, { token: admin.accessToken });
      expect(literal.body.items.map((u: { id: string }) => u.id)).toEqual([named.id]);
      const all = await api.request('GET', '/admin/users', { token: admin.accessToken });
      expect(all.body.total).toBeGreaterThanOrEqual(5);
    });

    it('refuses bad paging and unknown parameters with 400', async () => {
      for (const query of ['page=0', 'pageSize=101', 'page=abc', 'search=', 'role=admin', `search=${'x'.repeat(101)}`, 'page=1&page=2']) {
        expectErrorShape(await api.request('GET', `/admin/users?${query}`, { token: admin.accessToken }), 400);
      }
    });
  });

  describe('GET and PATCH /admin/users/:id', () => {
    it('shows one account with its question count; 404 for an unknown id, 400 for a bad one', async () => {
      const member = await api.account();
      await api.request('POST', '/questions', { token: member.accessToken, body: { text: 'count me' } });
      const res = await api.request('GET', `/admin/users/${member.id}`, { token: admin.accessToken });
      expect(res.body).toMatchObject({ id: member.id, email: member.email, role: 'user', questionCount: 1 });
      expectErrorShape(await api.request('GET', '/admin/users/00000000-0000-4000-8000-000000000000', { token: admin.accessToken }), 404);
      expectErrorShape(await api.request('GET', '/admin/users/not-a-uuid', { token: admin.accessToken }), 400);
    });

    it('blocking signs the account out at once and keeps it out; unblocking lets it sign in again', async () => {
      const member = await api.account();
      const blocked = await api.request('PATCH', `/admin/users/${member.id}`, { token: admin.accessToken, body: { blocked: true } });
      expect(blocked.body).toMatchObject({ id: member.id, blocked: true });
      expectErrorShape(await api.request('GET', '/users/me', { token: member.accessToken }), 401);
      expectErrorShape(await api.request('POST', '/auth/refresh', { body: { refreshToken: member.refreshToken } }), 401);
      const login = await api.request('POST', '/auth/login', { body: { email: member.email, password: member.password } });
      expectErrorShape(login, 403);
      expect((await api.request('PATCH', `/admin/users/${member.id}`, { token: admin.accessToken, body: { blocked: false } })).body.blocked).toBe(false);
      expect((await api.request('POST', '/auth/login', { body: { email: member.email, password: member.password } })).status).toBe(200);
    });

    it('a new role applies to existing tokens at once, both ways', async () => {
      const member = await api.account();
      expectErrorShape(await api.request('GET', '/admin/users', { token: member.accessToken }), 403);
      await api.request('PATCH', `/admin/users/${member.id}`, { token: admin.accessToken, body: { role: 'admin' } });
      expect((await api.request('GET', '/admin/users', { token: member.accessToken })).status).toBe(200);
      await api.request('PATCH', `/admin/users/${member.id}`, { token: admin.accessToken, body: { role: 'user' } });
      expectErrorShape(await api.request('GET', '/admin/users', { token: member.accessToken }), 403);
    });

    it('admins cannot block themselves or drop their own role; bad bodies get 400, unknown ids 404', async () => {
      expectErrorShape(await api.request('PATCH', `/admin/users/${admin.id}`, { token: admin.accessToken, body: { blocked: true } }), 409);
      expectErrorShape(await api.request('PATCH', `/admin/users/${admin.id}`, { token: admin.accessToken, body: { role: 'user' } }), 409);
      const member = await api.account();
      for (const body of [{}, { role: 'root' }, { blocked: 'yes' }, { email: 'x@example.com' }, { passwordHash: 'x' }]) {
        expectErrorShape(await api.request('PATCH', `/admin/users/${member.id}`, { token: admin.accessToken, body }), 400);
      }
      expectErrorShape(await api.request('PATCH', '/admin/users/00000000-0000-4000-8000-000000000000', { token: admin.accessToken, body: { blocked: true } }), 404);
      expect((await api.request('GET', '/users/me', { token: admin.accessToken })).body).toMatchObject({ role: 'admin', blocked: false });
    });
  });

  describe('GET /admin/questions', () => {
    it('lists every account’s questions newest first, filtered by account and by time', async () => {
      const a = await api.account();
      const b = await api.account();
      const qa = (await api.request('POST', '/questions', { token: a.accessToken, body: { text: 'from a' } })).body;
      const qb = (await api.request('POST', '/questions', { token: b.accessToken, body: { text: 'from b' } })).body;
      const byA = await api.request('GET', `/admin/questions?userId=${a.id}`, { token: admin.accessToken });
      expect(byA.body).toMatchObject({ total: 1, items: [{ id: qa.id, question: 'from a' }] });
      const window = await api.request('GET', `/admin/questions?from=${encodeURIComponent(qb.createdAt)}&pageSize=100`, { token: admin.accessToken });
      expect(window.body.items.map((q: { id: string }) => q.id)).toContain(qb.id);
      expect(window.body.items.map((q: { id: string }) => q.id)).not.toContain(qa.id);
      const before = await api.request('GET', `/admin/questions?to=${encodeURIComponent(qb.createdAt)}&pageSize=100`, { token: admin.accessToken });
      expect(before.body.items.map((q: { id: string }) => q.id)).not.toContain(qb.id);
      const all = await api.request('GET', '/admin/questions?pageSize=1', { token: admin.accessToken });
      expect(all.body.items).toHaveLength(1);
      expect(all.body.total).toBeGreaterThanOrEqual(2);
      for (const query of ['userId=42', 'from=yesterday', 'to=2026-13-01T00:00:00Z', 'sort=asc']) {
        expectErrorShape(await api.request('GET', `/admin/questions?${query}`, { token: admin.accessToken }), 400);
      }
    });
  });
});
