import { createHmac } from 'node:crypto';
import { ApiHarness, expectErrorShape, JWT_SECRET, type TestAccount } from './api-harness';

/** A JWT signed by hand, to forge tokens jsonwebtoken would never make. */
function forge(header: object, payload: object, key = JWT_SECRET): string {
  const part = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
  const unsigned = `${part(header)}.${part(payload)}`;
  return `${unsigned}.${createHmac('sha256', key).update(unsigned).digest('base64url')}`;
}

/** The claims of a JWT (unverified). */
const claimsOf = (token: string) => JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString());

/** Issue 12: accounts, tokens and the own account over real HTTP, PostgreSQL and Redis. */
describe('API accounts', () => {
  const api = new ApiHarness();

  beforeAll(() => api.start());
  afterAll(() => api.stop());

  describe('POST /auth/register', () => {
    it('creates an account with a normalised email, role user and no password hash in the answer', async () => {
      const res = await api.request('POST', '/auth/register', { body: { email: '  Grace.Hopper@Example.COM ', password: 'a long password', name: '  Grace  ' } });
      expect(res.status).toBe(201);
      expect(res.body).toEqual({
        id: expect.stringMatching(/^[0-9a-f-]{36}$/),
        email: 'grace.hopper@example.com',
        name: 'Grace',
        role: 'user',
        blocked: false,
        telegramUserId: null,
        telegramLinkedAt: null,
        createdAt: expect.any(String),
        updatedAt: expect.any(String),
      });
      const stored = await api.prisma!.apiUser.findUniqueOrThrow({ where: { id: res.body.id } });
      expect(stored.passwordHash).toMatch(/^\$argon2id\$v=19\$m=19456,p=1,t=2\$/);
      expect(res.text).not.toContain('argon2');
    });

    it('refuses a taken email, also in other case or full-width look-alike, with 409', async () => {
      const email = api.email('taken');
      expect((await api.request('POST', '/auth/register', { body: { email, password: 'a long password', name: 'A' } })).status).toBe(201);
      for (const variant of [email.toUpperCase(), email.replace(/[a-z]/g, (c) => String.fromCharCode(c.charCodeAt(0) + 0xfee0))]) {
        const res = await api.request('POST', '/auth/register', { body: { email: variant, password: 'a long password', name: 'B' } });
        expectErrorShape(res, 409);
      }
    });

    it('refuses a Cyrillic look-alike email and other invalid fields with 400 naming each field', async () => {
      const res = await api.request('POST', '/auth/register', { body: { email: 'аdmin@example.com', password: 'short', name: '' } });
      expectErrorShape(res, 400);
      expect(res.body.fields.map((f: { path: string }) => f.path).sort()).toEqual(['email', 'name', 'password']);
    });

    it('refuses `role` (and any unknown field) in the body: nothing is created', async () => {
      const email = api.email('role');
      for (const body of [
        { email, password: 'a long password', name: 'Mallory', role: 'admin' },
        { email, password: 'a long password', name: 'Mallory', isAdmin: true },
        { email, password: 'a long password', name: 'Mallory', __proto__: { role: 'admin' }, constructor: { prototype: { role: 'admin' } } },
      ]) {
        const res = await api.request('POST', '/auth/register', { raw: JSON.stringify(body).replace('"constructor"', '"__proto__":{"role":"admin"},"constructor"'), contentType: 'application/json' });
        expectErrorShape(res, 400);
        expect(res.body.fields.some((f: { message: string }) => f.message === 'unknown field')).toBe(true);
      }
      expect(await api.prisma!.apiUser.count({ where: { email } })).toBe(0);
    });

    it('stores SQL and HTML in every string field as plain data', async () => {
      const name = `<script>alert(1)</script>'); DROP TABLE "ApiUser";--`;
      const password = `' OR '1'='1'; -- <b>`;
      const email = `o'brien+x@example.com`;
      const res = await api.request('POST', '/auth/register', { body: { email, password, name } });
      expect(res.status).toBe(201);
      expect(res.body).toMatchObject({ email, name });
      expect(res.headers.get('content-type')).toContain('application/json');
      const tokens = await api.login(email, password);
      expect((await api.request('GET', '/users/me', { token: tokens.accessToken })).body.name).toBe(name);
      expect(await api.prisma!.apiUser.count()).toBeGreaterThan(0);
    });

    it('refuses wrong content types with 415, bad JSON with 400 and a 1 MB body with 413, in the error shape', async () => {
      const form = await api.request('POST', '/auth/register', { raw: 'email=a@b.co&password=0123456789&name=x', contentType: 'application/x-www-form-urlencoded' });
      expectErrorShape(form, 415);
      expectErrorShape(await api.request('POST', '/auth/register', { raw: '{"email":"a@b.co"', contentType: 'text/plain' }), 415);
      expectErrorShape(await api.request('POST', '/auth/register', { raw: '{"email": "a@b.co",', contentType: 'application/json' }), 400);
      expectErrorShape(await api.request('POST', '/auth/register', { raw: 'null', contentType: 'application/json' }), 400);
      expectErrorShape(await api.request('POST', '/auth/register', { raw: '[1,2]', contentType: 'application/json' }), 400);
      const huge = await api.request('POST', '/auth/register', { body: { email: 'big@example.com', password: 'a long password', name: 'x'.repeat(1_048_576) } });
      expectErrorShape(huge, 413);
      expect(await api.prisma!.apiUser.count({ where: { email: 'big@example.com' } })).toBe(0);
      const bad = await api.request('POST', '/auth/register', { raw: '{"email": "<b>\u0000</b>"', contentType: 'application/json' });
      expect(bad.text).not.toContain('<b>');
    });
  });

  describe('POST /auth/login', () => {
    let account: TestAccount;
    beforeAll(async () => {
      account = await api.account();
    });

    it('returns an HS256 access token of 15 minutes and a refresh token', async () => {
      const res = await api.request('POST', '/auth/login', { body: { email: account.email.toUpperCase(), password: account.password } });
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ accessToken: expect.any(String), refreshToken: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/), expiresIn: 900, tokenType: 'Bearer' });
      expect(JSON.parse(Buffer.from(res.body.accessToken.split('.')[0], 'base64url').toString())).toEqual({ alg: 'HS256', typ: 'JWT' });
      const claims = claimsOf(res.body.accessToken);
      expect(claims).toMatchObject({ sub: account.id, iss: 'kraken', aud: 'kraken-api', typ: 'access' });
      expect(claims.exp - claims.iat).toBe(900);
      const stored = await api.prisma!.apiRefreshToken.findMany({ where: { session: { userId: account.id } } });
      expect(stored.map((t) => t.tokenHash)).not.toContain(res.body.refreshToken);
      expect(stored.every((t) => /^[0-9a-f]{64}$/.test(t.tokenHash))).toBe(true);
    });

    it('answers a wrong password and an unknown email alike with 401', async () => {
      const wrong = await api.request('POST', '/auth/login', { body: { email: account.email, password: 'not the password' } });
      const unknown = await api.request('POST', '/auth/login', { body: { email: api.email('nobody'), password: 'not the password' } });
      expectErrorShape(wrong, 401);
      expectErrorShape(unknown, 401);
      expect(wrong.body.message).toBe(unknown.body.message);
      expectErrorShape(await api.request('POST', '/auth/login', { body: { email: account.email } }), 400);
      expectErrorShape(await api.request('POST', '/auth/login', { body: { email: account.email, password: account.password, role: 'admin' } }), 400);
    });
  });

  describe('access tokens', () => {
    let account: TestAccount;
    beforeAll(async () => {
      account = await api.account();
    });

    it('accepts the real token and refuses missing, malformed, tampered, alg-none, other-key and expired ones with 401', async () => {
      expect((await api.request('GET', '/users/me', { token: account.accessToken })).status).toBe(200);
      const claims = claimsOf(account.accessToken);
      const other = await api.account();
      const [header, payload, signature] = account.accessToken.split('.');
      const now = Math.floor(Date.now() / 1000);
      const bad: Array<[string, Record<string, string>]> = [
        ['missing', {}],
        ['not bearer', { authorization: `Basic ${Buffer.from('a:b').toString('base64')}` }],
        ['garbage', { authorization: 'Bearer not.a.jwt' }],
        ['alg none', { authorization: `Bearer ${Buffer.from('{"alg":"none","typ":"JWT"}').toString('base64url')}.${payload}.` }],
        ['alg none signed', { authorization: `Bearer ${forge({ alg: 'none', typ: 'JWT' }, claims)}` }],
        ['HS512 with the same key', { authorization: `Bearer ${forge({ alg: 'HS512', typ: 'JWT' }, claims)}` }],
        ['another key', { authorization: `Bearer ${forge({ alg: 'HS256', typ: 'JWT' }, claims, 'another-secret-of-at-least-32-bytes!!')}` }],
        ['changed sub (signature kept)', { authorization: `Bearer ${header}.${Buffer.from(JSON.stringify({ ...claims, sub: other.id })).toString('base64url')}.${signature}` }],
        ['another account’s sub with this session, re-signed', { authorization: `Bearer ${forge({ alg: 'HS256', typ: 'JWT' }, { ...claims, sub: other.id })}` }],
        ['expired', { authorization: `Bearer ${forge({ alg: 'HS256', typ: 'JWT' }, { ...claims, iat: now - 1000, exp: now - 10 })}` }],
        ['wrong audience', { authorization: `Bearer ${forge({ alg: 'HS256', typ: 'JWT' }, { ...claims, aud: 'someone-else' })}` }],
        ['not a uuid sub', { authorization: `Bearer ${forge({ alg: 'HS256', typ: 'JWT' }, { ...claims, sub: "1' OR '1'='1" })}` }],
      ];
      for (const [label, headers] of bad) {
        const res = await api.request('GET', '/users/me', { headers });
        expect([label, res.status]).toEqual([label, 401]);
        expectErrorShape(res, 401);
        expect(res.headers.get('www-authenticate')).toBe('Bearer');
      }
    });
  });

  describe('POST /auth/refresh and /auth/logout', () => {
    it('rotates: the new pair works, the old refresh token is spent', async () => {
      const account = await api.account();
      const rotated = await api.request('POST', '/auth/refresh', { body: { refreshToken: account.refreshToken } });
      expect(rotated.status).toBe(200);
      expect(rotated.body.refreshToken).not.toBe(account.refreshToken);
      expect((await api.request('GET', '/users/me', { token: rotated.body.accessToken })).status).toBe(200);
      const again = await api.request('POST', '/auth/refresh', { body: { refreshToken: rotated.body.refreshToken } });
      expect(again.status).toBe(200);
    });

    it('reuse of a rotated refresh token revokes the whole session: its newest tokens die too', async () => {
      const account = await api.account();
      const other = await api.login(account.email, account.password);
      const rotated = (await api.request('POST', '/auth/refresh', { body: { refreshToken: account.refreshToken } })).body;
      const reuse = await api.request('POST', '/auth/refresh', { body: { refreshToken: account.refreshToken } });
      expectErrorShape(reuse, 401);
      expect(reuse.body.message).toMatch(/already used/);
      expectErrorShape(await api.request('POST', '/auth/refresh', { body: { refreshToken: rotated.refreshToken } }), 401);
      expectErrorShape(await api.request('GET', '/users/me', { token: rotated.accessToken }), 401);
      // Another session of the same account is untouched.
      expect((await api.request('GET', '/users/me', { token: other.accessToken })).status).toBe(200);
    });

    it('of two concurrent refreshes with one token exactly one wins, and the session is then revoked', async () => {
      const account = await api.account();
      const results = await Promise.all([0, 1, 2, 3].map(() => api.request('POST', '/auth/refresh', { body: { refreshToken: account.refreshToken } })));
      expect(results.map((r) => r.status).sort()).toEqual([200, 401, 401, 401]);
      const winner = results.find((r) => r.status === 200)!.body;
      expect((await api.request('GET', '/users/me', { token: winner.accessToken })).status).toBe(401);
    });

    it('refuses unknown, malformed and missing refresh tokens with 401/400', async () => {
      expectErrorShape(await api.request('POST', '/auth/refresh', { body: { refreshToken: 'A'.repeat(43) } }), 401);
      expectErrorShape(await api.request('POST', '/auth/refresh', { body: { refreshToken: "' OR 1=1 --" } }), 401);
      expectErrorShape(await api.request('POST', '/auth/refresh', { body: {} }), 400);
      expectErrorShape(await api.request('POST', '/auth/logout', { body: { refreshToken: 'B'.repeat(43) } }), 401);
    });

    it('logout revokes the session: its refresh and access tokens stop at once', async () => {
      const account = await api.account();
      const res = await api.request('POST', '/auth/logout', { body: { refreshToken: account.refreshToken } });
      expect(res.status).toBe(204);
      expect(res.text).toBe('');
      expectErrorShape(await api.request('GET', '/users/me', { token: account.accessToken }), 401);
      expectErrorShape(await api.request('POST', '/auth/refresh', { body: { refreshToken: account.refreshToken } }), 401);
      expect((await api.request('POST', '/auth/logout', { body: { refreshToken: account.refreshToken } })).status).toBe(204);
    });
  });

  describe('/users/me', () => {
    it('GET shows the account, never the password hash', async () => {
      const account = await api.account({ name: 'Me Myself' });
      const res = await api.request('GET', '/users/me', { token: account.accessToken });
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ id: account.id, email: account.email, name: 'Me Myself', role: 'user' });
      expect(Object.keys(res.body)).not.toContain('passwordHash');
    });

    it('PATCH changes the name; email and password need the current password', async () => {
      const account = await api.account();
      const renamed = await api.request('PATCH', '/users/me', { token: account.accessToken, body: { name: 'Renamed' } });
      expect(renamed.status).toBe(200);
      expect(renamed.body.name).toBe('Renamed');
      const email = api.email('moved');
      const missing = await api.request('PATCH', '/users/me', { token: account.accessToken, body: { email } });
      expectErrorShape(missing, 400);
      expect(missing.body.fields).toEqual([{ path: 'currentPassword', message: 'required to change the email or the password' }]);
      expectErrorShape(await api.request('PATCH', '/users/me', { token: account.accessToken, body: { email, currentPassword: 'wrong password' } }), 403);
      const moved = await api.request('PATCH', '/users/me', { token: account.accessToken, body: { email: email.toUpperCase(), currentPassword: account.password } });
      expect(moved.body.email).toBe(email);
      expectErrorShape(await api.request('PATCH', '/users/me', { token: account.accessToken, body: { role: 'admin' } }), 400);
      expectErrorShape(await api.request('PATCH', '/users/me', { token: account.accessToken, body: {} }), 400);
      const taken = await api.account();
      expectErrorShape(await api.request('PATCH', '/users/me', { token: account.accessToken, body: { email: taken.email, currentPassword: account.password } }), 409);
      expect((await api.request('GET', '/users/me', { token: account.accessToken })).body.role).toBe('user');
    });

    it('a password change revokes the other sessions at once and keeps this one', async () => {
      const account = await api.account();
      const other = await api.login(account.email, account.password);
      const res = await api.request('PATCH', '/users/me', { token: account.accessToken, body: { newPassword: 'a brand new password', currentPassword: account.password } });
      expect(res.status).toBe(200);
      expect((await api.request('GET', '/users/me', { token: account.accessToken })).status).toBe(200);
      expectErrorShape(await api.request('GET', '/users/me', { token: other.accessToken }), 401);
      expectErrorShape(await api.request('POST', '/auth/refresh', { body: { refreshToken: other.refreshToken } }), 401);
      expect((await api.request('POST', '/auth/refresh', { body: { refreshToken: account.refreshToken } })).status).toBe(200);
      expectErrorShape(await api.request('POST', '/auth/login', { body: { email: account.email, password: account.password } }), 401);
      expect((await api.request('POST', '/auth/login', { body: { email: account.email, password: 'a brand new password' } })).status).toBe(200);
    });

    it('DELETE needs the password, then the account, its questions and every token are gone at once', async () => {
      const account = await api.account();
      const second = await api.login(account.email, account.password);
      expect((await api.request('POST', '/questions', { token: account.accessToken, body: { text: 'remember me?' } })).status).toBe(201);
      expectErrorShape(await api.request('DELETE', '/users/me', { token: account.accessToken, body: { password: 'wrong password' } }), 403);
      expectErrorShape(await api.request('DELETE', '/users/me', { token: account.accessToken }), 400);
      const res = await api.request('DELETE', '/users/me', { token: account.accessToken, body: { password: account.password } });
      expect(res.status).toBe(204);
      for (const token of [account.accessToken, second.accessToken]) expectErrorShape(await api.request('GET', '/users/me', { token }), 401);
      for (const refreshToken of [account.refreshToken, second.refreshToken]) expectErrorShape(await api.request('POST', '/auth/refresh', { body: { refreshToken } }), 401);
      expectErrorShape(await api.request('POST', '/auth/login', { body: { email: account.email, password: account.password } }), 401);
      expect(await api.prisma!.apiQuestion.count({ where: { userId: account.id } })).toBe(0);
      expect(await api.prisma!.apiSession.count({ where: { userId: account.id } })).toBe(0);
      // The email is free again.
      expect((await api.request('POST', '/auth/register', { body: { email: account.email, password: account.password, name: 'Again' } })).status).toBe(201);
    });
  });

  it('answers unknown routes with 404 in the error shape', async () => {
    expectErrorShape(await api.request('GET', '/nope'), 404);
    expectErrorShape(await api.request('GET', '/auth/../admin/users'), 401);
  });
});
