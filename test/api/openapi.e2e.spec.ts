import { copyFileSync, existsSync, mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { chromium } from 'playwright-core';
import { ROOT } from '../support/processes';
import { ApiHarness, expectErrorShape, type TestAccount } from './api-harness';

/** Debian's Chromium (scripts/test.sh installs it); CHROMIUM_PATH overrides. */
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
/** Where the rendered /docs is kept in the repository (refreshed with KRAKEN_UPDATE_SCREENSHOTS=1). */
const SCREENSHOT = join(ROOT, 'docs', 'api-docs.png');

type Operation = {
  security?: Array<Record<string, string[]>>;
  tags?: string[];
  responses: Record<string, unknown>;
  requestBody?: unknown;
  parameters?: Array<{ name: string; in: string; schema?: { type?: string } }>;
};
type Document = { openapi: string; paths: Record<string, Record<string, Operation>>; components: { schemas: Record<string, unknown> } };

/**
 * Validates a document with @seriousme/openapi-schema-validator (an ES module, which jest's CommonJS
 * runtime cannot load: it runs in a child Node process). @returns its `{valid, errors}`.
 */
function validateOpenApi(document: unknown): { valid: boolean; errors?: unknown } {
  const script = `import('@seriousme/openapi-schema-validator').then(async ({ Validator }) => {
    let text = ''; for await (const chunk of process.stdin) text += chunk;
    process.stdout.write(JSON.stringify(await new Validator().validate(JSON.parse(text))));
  })`;
  const child = spawnSync(process.execPath, ['-e', script], { cwd: ROOT, input: JSON.stringify(document), encoding: 'utf8' });
  if (child.status !== 0) throw new Error(`validator failed: ${child.stderr}`);
  return JSON.parse(child.stdout);
}

/**
 * Routes mapped on the express app: `METHOD /path/{param}`, without health, metrics, docs and the
 * catch-all wildcard routes (Swagger UI's asset fallbacks).
 */
function mountedRoutes(api: ApiHarness): string[] {
  const express = api.app!.getHttpAdapter().getInstance() as { router: { stack: Array<{ route?: { path: string; methods: Record<string, boolean> } }> } };
  return express.router.stack
    .filter((layer) => layer.route && !layer.route.path.includes('*'))
    .flatMap((layer) => Object.keys(layer.route!.methods).map((m) => `${m.toUpperCase()} ${layer.route!.path.replace(/:(\w+)/g, '{$1}')}`))
    .filter((route) => !/ \/(health|metrics|docs)/.test(route));
}

/** Issue 12: the OpenAPI document, Swagger UI, and who may call what, enumerated from the document. */
describe('API OpenAPI document and access', () => {
  const api = new ApiHarness();
  let doc: Document;
  let user: TestAccount;
  let admin: TestAccount;
  const operations = () =>
    Object.entries(doc.paths).flatMap(([path, methods]) => Object.entries(methods).map(([method, operation]) => ({ method: method.toUpperCase(), path, operation })));
  /** A concrete URL for a templated operation's path: an unknown id of the parameter's type. */
  const url = ({ path, operation }: { path: string; operation: Operation }) =>
    path.replace(/\{([^}]+)\}/g, (_, name: string) =>
      operation.parameters?.find((p) => p.in === 'path' && p.name === name)?.schema?.type === 'integer' ? '999999999' : '00000000-0000-4000-8000-000000000000',
    );
  /** A valid body for the admin operations that need one. */
  const adminBody: Record<string, unknown> = {
    'PATCH /admin/users/{id}': { blocked: false },
    'POST /admin/kb/documents': { title: 'OpenAPI probe', format: 'text', content: 'probe' },
  };

  beforeAll(async () => {
    await api.start();
    doc = (await api.request('GET', '/docs-json')).body;
    user = await api.account();
    admin = await api.admin();
  });
  afterAll(() => api.stop());

  it('serves a valid OpenAPI 3 document', async () => {
    expect(doc.openapi).toMatch(/^3\.0\./);
    const result = validateOpenApi(doc);
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
  });

  it('documents every mounted route, and only those', () => {
    const documented = operations().map((o) => `${o.method} ${o.path}`).sort();
    expect(documented).toEqual(mountedRoutes(api).sort());
    expect(documented).toHaveLength(20);
  });

  it('gives every operation responses with schemas, the error responses and examples; bodies reference schemas', () => {
    for (const { method, path, operation } of operations()) {
      const statuses = Object.keys(operation.responses);
      expect([`${method} ${path}`, statuses.some((s) => s.startsWith('2'))]).toEqual([`${method} ${path}`, true]);
      expect([`${method} ${path}`, statuses.some((s) => s.startsWith('4'))]).toEqual([`${method} ${path}`, true]);
      if (['POST', 'PATCH'].includes(method) && !path.endsWith('telegram-link')) expect(JSON.stringify(operation.requestBody)).toContain('#/components/schemas/');
    }
    const schemas = doc.components.schemas as Record<string, { properties?: Record<string, { example?: unknown }>; additionalProperties?: boolean }>;
    expect(schemas.RegisterRequest.additionalProperties).toBe(false);
    expect(Object.keys(schemas.RegisterRequest.properties ?? {})).toEqual(['email', 'password', 'name']);
    expect(schemas.Question.properties?.answer.example).toBeDefined();
    expect(Object.keys(schemas.Account.properties ?? {})).not.toContain('passwordHash');
    expect(JSON.stringify(doc.paths['/questions'].post.responses)).toContain('text/event-stream');
  });

  it('every protected route (bearer security in the document) answers 401 without a token', async () => {
    const protectedOps = operations().filter((o) => o.operation.security?.some((s) => 'bearer' in s));
    expect(protectedOps.length).toBeGreaterThanOrEqual(11);
    const open = operations().filter((o) => !o.operation.security?.length).map((o) => `${o.method} ${o.path}`);
    expect(open.sort()).toEqual(['POST /auth/login', 'POST /auth/logout', 'POST /auth/refresh', 'POST /auth/register']);
    for (const { method, path, operation } of protectedOps) {
      const res = await api.request(method, url({ path, operation }), ['POST', 'PATCH', 'DELETE'].includes(method) ? { body: {} } : {});
      expect(`${method} ${path} → ${res.status}`).toBe(`${method} ${path} → 401`);
      expectErrorShape(res, 401);
    }
  });

  it('every admin route answers 403 to a user and not 401/403 to an admin', async () => {
    const adminOps = operations().filter((o) => o.operation.tags?.includes('admin'));
    expect(adminOps.map((o) => `${o.method} ${o.path}`).sort()).toEqual([
      'DELETE /admin/kb/documents/{id}',
      'GET /admin/kb/documents',
      'GET /admin/kb/search',
      'GET /admin/questions',
      'GET /admin/users',
      'GET /admin/users/{id}',
      'PATCH /admin/users/{id}',
      'POST /admin/kb/documents',
    ]);
    for (const { method, path, operation } of adminOps) {
      const query = path === '/admin/kb/search' ? '?q=probe' : '';
      const body = adminBody[`${method} ${path}`] ? { body: adminBody[`${method} ${path}`] } : {};
      const asUser = await api.request(method, url({ path, operation }) + query, { token: user.accessToken, ...body });
      expect(`${method} ${path} → ${asUser.status}`).toBe(`${method} ${path} → 403`);
      expectErrorShape(asUser, 403);
      const asAdmin = await api.request(method, url({ path, operation }) + query, { token: admin.accessToken, ...body });
      expect([`${method} ${path}`, [200, 201, 404].includes(asAdmin.status)]).toEqual([`${method} ${path}`, true]);
    }
  });

  it('renders /docs in headless Chromium with every operation and the Authorize button', async () => {
    expect(existsSync(CHROMIUM)).toBe(true);
    const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--disable-dev-shm-usage'] });
    try {
      const page = await browser.newPage({ viewport: { width: 1280, height: 1800 } });
      const errors: string[] = [];
      page.on('pageerror', (error) => errors.push(error.message));
      page.on('console', (message) => {
        if (message.type() === 'error') errors.push(message.text());
      });
      const response = await page.goto(`${api.baseUrl}/docs`);
      expect(response?.status()).toBe(200);
      await page.waitForSelector('.opblock', { timeout: 30_000 });
      expect(await page.locator('.opblock').count()).toBe(operations().length);
      expect(await page.locator('.btn.authorize').count()).toBe(1);
      expect(await page.locator('.info .title').innerText()).toContain('Kraken API');
      expect(errors).toEqual([]);
      const shot = join(mkdtempSync(join(tmpdir(), 'kraken-docs-')), 'api-docs.png');
      await page.screenshot({ path: shot, fullPage: false });
      expect(statSync(shot).size).toBeGreaterThan(20_000);
      if (process.env.KRAKEN_UPDATE_SCREENSHOTS === '1') copyFileSync(shot, SCREENSHOT);
      expect(existsSync(SCREENSHOT)).toBe(true);
    } finally {
      await browser.close();
    }
  });
});
