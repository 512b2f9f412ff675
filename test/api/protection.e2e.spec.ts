import { ApiHarness, expectErrorShape } from './api-harness';

/** A client address, sent as X-Forwarded-For (the API trusts one proxy hop here). */
let nextAddress = 1;
const address = () => `198.51.100.${nextAddress++}`;
const from = (ip: string) => ({ 'x-forwarded-for': ip });

/** Issue 12: rate limits in Redis, body limits, security headers, CORS and request ids. */
describe('API protection', () => {
  const api = new ApiHarness();

  beforeAll(() => api.start({ env: { API_TRUST_PROXY: '1', LOGIN_IP_LIMIT: '30', REGISTER_LIMIT: '4', ASK_LIMIT: '3', ASK_WINDOW_SECONDS: '60' } }));
  afterAll(() => api.stop());

  /** Registers from a fresh address (REGISTER_LIMIT is per address) and signs in. */
  async function account() {
    const email = api.email();
    const password = 'correct horse battery staple';
    const ip = address();
    expect((await api.request('POST', '/auth/register', { body: { email, password, name: 'P' }, headers: from(ip) })).status).toBe(201);
    const login = await api.request('POST', '/auth/login', { body: { email, password }, headers: from(ip) });
    return { email, password, accessToken: login.body.accessToken as string };
  }

  it('login: 5 tries per email and address per 15 minutes, then 429 with Retry-After even for the right password', async () => {
    const { email, password } = await account();
    const ip = address();
    for (let i = 0; i < 5; i++) expectErrorShape(await api.request('POST', '/auth/login', { body: { email, password: `wrong ${i}` }, headers: from(ip) }), 401);
    const sixth = await api.request('POST', '/auth/login', { body: { email: email.toUpperCase(), password }, headers: from(ip) });
    expectErrorShape(sixth, 429);
    expect(Number(sixth.headers.get('retry-after'))).toBeGreaterThan(800);
    expect(Number(sixth.headers.get('retry-after'))).toBeLessThanOrEqual(900);
    // The same email from another address, and another email from this address, still get in.
    expect((await api.request('POST', '/auth/login', { body: { email, password }, headers: from(address()) })).status).toBe(200);
    const other = await account();
    expect((await api.request('POST', '/auth/login', { body: { email: other.email, password: other.password }, headers: from(ip) })).status).toBe(200);
  });

  it('login: at most LOGIN_IP_LIMIT tries per address across emails', async () => {
    const ip = address();
    const statuses: number[] = [];
    for (let i = 0; i < 31; i++) statuses.push((await api.request('POST', '/auth/login', { body: { email: `spray-${i}@example.com`, password: 'guess guess' }, headers: from(ip) })).status);
    expect(statuses.slice(0, 30).every((s) => s === 401)).toBe(true);
    expect(statuses[30]).toBe(429);
  });

  it('10,000 login attempts: each gets 401 or 429, nothing changes, the API keeps answering', async () => {
    const { email, password } = await account();
    const ip = address();
    const counts = new Map<number, number>();
    let sent = 0;
    await Promise.all(
      Array.from({ length: 32 }, async () => {
        while (sent < 10_000) {
          const i = sent++;
          const variant = i % 2 ? email.toUpperCase() : ` ${email}`;
          const res = await fetch(`${api.baseUrl}/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json', ...from(ip) }, body: JSON.stringify({ email: variant, password: `guess ${i}` }) });
          await res.arrayBuffer();
          counts.set(res.status, (counts.get(res.status) ?? 0) + 1);
        }
      }),
    );
    expect(Object.fromEntries(counts)).toEqual({ 401: 5, 429: 9995 });
    expect((await api.request('POST', '/auth/login', { body: { email, password }, headers: from(address()) })).status).toBe(200);
    expect((await api.request('GET', '/health/ready')).status).toBe(200);
  });

  it('register: REGISTER_LIMIT accounts per address per hour', async () => {
    const ip = address();
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++) statuses.push((await api.request('POST', '/auth/register', { body: { email: api.email('burst'), password: 'a long password', name: 'B' }, headers: from(ip) })).status);
    expect(statuses).toEqual([201, 201, 201, 201, 429]);
  });

  it('ask: ASK_LIMIT questions per account per window; another account is not affected', async () => {
    const first = await account();
    const second = await account();
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++) statuses.push((await api.request('POST', '/questions', { token: first.accessToken, body: { text: `q${i}` } })).status);
    expect(statuses).toEqual([201, 201, 201, 429]);
    expect((await api.request('POST', '/questions', { token: second.accessToken, body: { text: 'mine' } })).status).toBe(201);
  });

  it('takes a body of 64 KB and refuses 64 KB + 1 byte with 413', async () => {
    const { accessToken } = await account();
    const envelope = JSON.stringify({ text: '' });
    const fits = JSON.stringify({ text: 'x'.repeat(65_536 - envelope.length) });
    expect(Buffer.byteLength(fits)).toBe(65_536);
    // It fits the body limit (then fails validation: over 8,000 characters).
    expectErrorShape(await api.request('POST', '/questions', { token: accessToken, raw: fits, contentType: 'application/json' }), 400);
    const over = JSON.stringify({ text: 'x'.repeat(65_537 - envelope.length) });
    expectErrorShape(await api.request('POST', '/questions', { token: accessToken, raw: over, contentType: 'application/json' }), 413);
  });

  it('sends security headers, no X-Powered-By, and no CORS headers by default', async () => {
    const res = await api.request('GET', '/health/live', { headers: { origin: 'https://evil.example' } });
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('x-frame-options')).toBe('SAMEORIGIN');
    expect(res.headers.get('strict-transport-security')).toMatch(/max-age=/);
    expect(res.headers.get('content-security-policy')).toContain("default-src 'self'");
    expect(res.headers.get('x-powered-by')).toBeNull();
    expect(res.headers.get('access-control-allow-origin')).toBeNull();
    const preflight = await api.request('OPTIONS', '/auth/login', { headers: { origin: 'https://evil.example', 'access-control-request-method': 'POST' } });
    expect(preflight.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('echoes a valid X-Request-Id and replaces an invalid one', async () => {
    expect((await api.request('GET', '/health/live', { headers: { 'x-request-id': 'req-abc_123' } })).headers.get('x-request-id')).toBe('req-abc_123');
    for (const bad of ['bad id <script>', 'x'.repeat(65)]) {
      expect((await api.request('GET', '/health/live', { headers: { 'x-request-id': bad } })).headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    }
  });
});
