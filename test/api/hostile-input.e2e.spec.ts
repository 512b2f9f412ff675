import fc from 'fast-check';
import { ApiHarness, expectErrorShape, type TestAccount } from './api-harness';

/** Strings an attacker tries in every field. */
const HOSTILE = [
  `' OR '1'='1`,
  `'; DROP TABLE "ApiUser"; --`,
  `<script>alert(document.cookie)</script>`,
  `"><img src=x onerror=alert(1)>`,
  '{{7*7}}${7*7}',
  '\u0000\u202e\ud800',
  'admin@example.com\r\nX-Injected: 1',
  '../../etc/passwd',
  'a'.repeat(10_000),
];

/** A valid body of each JSON-body operation, for the current account (filled in per test). */
type Bodies = Record<string, (account: TestAccount) => Record<string, unknown>>;

/** Issue 12, bad input: `role` in every body, hostile strings in every field, arbitrary JSON: the right 4xx, nothing changed, no crash. */
describe('API under hostile input', () => {
  const api = new ApiHarness();
  let operations: Array<{ method: string; path: string; admin: boolean }>;

  const validBodies: Bodies = {
    'POST /auth/register': () => ({ email: api.email('fuzz'), password: 'a long password', name: 'Fuzz' }),
    'POST /auth/login': (a) => ({ email: a.email, password: a.password }),
    'POST /auth/refresh': (a) => ({ refreshToken: a.refreshToken }),
    'POST /auth/logout': (a) => ({ refreshToken: a.refreshToken }),
    'PATCH /users/me': () => ({ name: 'Renamed' }),
    'DELETE /users/me': (a) => ({ password: a.password }),
    'POST /questions': () => ({ text: 'hello?' }),
    'PATCH /admin/users/{id}': () => ({ blocked: false }),
    'POST /admin/kb/documents': () => ({ title: 'Rules', format: 'markdown', content: '# Rules\n\nBe kind to each other.' }),
  };

  beforeAll(async () => {
    await api.start();
    const doc = (await api.request('GET', '/docs-json')).body as { paths: Record<string, Record<string, { requestBody?: unknown; tags?: string[] }>> };
    operations = Object.entries(doc.paths).flatMap(([path, methods]) =>
      Object.entries(methods)
        .filter(([, op]) => op.requestBody)
        .map(([method, op]) => ({ method: method.toUpperCase(), path, admin: op.tags?.includes('admin') ?? false })),
    );
  });
  afterAll(() => api.stop());

  it('knows a valid body for every operation with a JSON body', () => {
    expect(operations.map((o) => `${o.method} ${o.path}`).sort()).toEqual(Object.keys(validBodies).sort());
  });

  it('refuses `role` added to every body with 400, and nothing changes', async () => {
    const admin = await api.admin();
    // PATCH /admin/users/:id is where admins set roles: `role` is a field there, not an intruder.
    for (const { method, path, admin: adminOnly } of operations.filter((o) => !o.admin)) {
      const account = await api.account();
      const token = adminOnly ? admin.accessToken : account.accessToken;
      const url = path.replace('{id}', account.id);
      const res = await api.request(method, url, { token, body: { ...validBodies[`${method} ${path}`](account), role: 'admin' } });
      expect(`${method} ${path} → ${res.status}`).toBe(`${method} ${path} → 400`);
      expectErrorShape(res, 400);
      expect(res.body.fields).toContainEqual({ path: 'role', message: 'unknown field' });
      const me = await api.request('GET', '/users/me', { token: account.accessToken });
      expect(me.body).toMatchObject({ role: 'user', name: account.name, blocked: false });
    }
  });

  it('stores hostile strings in every string field as data, or refuses them with 400', async () => {
    const admin = await api.admin();
    const admins = await api.prisma!.apiUser.count({ where: { role: 'admin' } });
    for (const { method, path, admin: adminOnly } of operations) {
      for (const hostile of HOSTILE) {
        const account = await api.account();
        const body = validBodies[`${method} ${path}`](account);
        for (const field of Object.keys(body).filter((k) => typeof body[k] === 'string')) {
          const res = await api.request(method, path.replace('{id}', account.id), { token: adminOnly ? admin.accessToken : account.accessToken, body: { ...body, [field]: hostile } });
          expect(`${method} ${path} ${field}: ${res.status}`).toMatch(/: (2\d\d|400|401|403|409)$/);
          if (res.status >= 400) expectErrorShape(res, res.status);
          else expect(res.text).not.toMatch(/<script>(?!alert)/);
        }
      }
    }
    const queries = [...HOSTILE.map((h) => new URLSearchParams({ search: h.slice(0, 100) }).toString()), 'search=%00', 'search=%ff%fe', 'search=%', 'search[]=x', 'search=a&search=b'];
    for (const query of queries) {
      const res = await api.request('GET', `/admin/users?${query}`, { token: admin.accessToken });
      expect(`${query.slice(0, 40)}: ${res.status}`).toMatch(/: (200|400)$/);
      if (res.status === 400) expectErrorShape(res, 400);
    }
    expect(await api.prisma!.apiUser.count({ where: { role: 'admin' } })).toBe(admins);
  });

  it('answers arbitrary JSON bodies (fast-check) on every body route with a 4xx in the error shape, never a 5xx', async () => {
    const admin = await api.admin();
    const account = await api.account();
    // Admin routes act on another account: a generated `{ "blocked": true }` on PATCH /admin/users/{id}
    // legitimately blocks its target (and ends its sessions), which once ended `account`'s session.
    const target = await api.account();
    const field = fc.oneof(fc.constantFrom(...HOSTILE), fc.string({ maxLength: 50 }), fc.integer(), fc.boolean(), fc.constant(null), fc.jsonValue({ maxDepth: 2 }));
    const body = fc.oneof(
      fc.jsonValue({ maxDepth: 3 }),
      fc.dictionary(fc.constantFrom('email', 'password', 'name', 'text', 'model', 'refreshToken', 'currentPassword', 'newPassword', 'blocked', 'role', '__proto__', 'constructor'), field, { maxKeys: 5 }),
    );
    for (const { method, path, admin: adminOnly } of operations) {
      await fc.assert(
        fc.asyncProperty(body, async (value) => {
          const res = await api.request(method, path.replace('{id}', adminOnly ? target.id : account.id), { token: adminOnly ? admin.accessToken : account.accessToken, raw: JSON.stringify(value) ?? 'null', contentType: 'application/json' });
          if (res.status >= 500) throw new Error(`${method} ${path} answered ${res.status} to ${JSON.stringify(value)}`);
          if (res.status >= 400) expectErrorShape(res, res.status);
        }),
        { numRuns: 40, seed: Number(process.env.FUZZ_SEED ?? 20261127) },
      );
    }
    const me = await api.request('GET', '/users/me', { token: account.accessToken });
    expect(me.body.role).toBe('user');
  });
});
