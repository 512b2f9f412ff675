import type { Breadcrumb, ErrorEvent } from '@sentry/nestjs';

/** What replaces a removed secret in Sentry events and breadcrumbs. */
export const REDACTED = '[redacted]';

/**
 * A Bot API token inside a request path (`/bot<id>:<secret>/<method>`,
 * https://core.telegram.org/bots/api#making-requests) or on its own (`<id>:<secret>` as @BotFather
 * issues it: 8-10 digits, a colon, 35 characters of A-Z a-z 0-9 _ -).
 */
const BOT_TOKEN_IN_PATH = /\/bot\d+:[A-Za-z0-9_-]+/g;
const BOT_TOKEN = /\b\d{5,}:[A-Za-z0-9_-]{30,}\b/g;
/** Environment variable names whose values are secrets (tokens, passwords, API keys, the DSN). */
const SECRET_NAME = /(TOKEN|SECRET|PASSWORD|API_KEY|PRIVATE_KEY|_DSN|HASH)/i;
/** Request headers kept on an event; every other header (secret token, Authorization, Cookie …) is dropped. */
const SAFE_HEADERS = new Set(['content-type', 'content-length', 'user-agent', 'accept', 'host']);
/** Breadcrumb data fields kept (what an http breadcrumb needs to be useful). */
const SAFE_BREADCRUMB_DATA = new Set(['url', 'method', 'http.method', 'status_code', 'reason']);
/** Secrets shorter than this are not searched for (they would match ordinary words). */
const MIN_SECRET_LENGTH = 6;
/** Deepest nesting scrubbed inside an event (Sentry normalises events to depth 3 by default). */
const MAX_DEPTH = 12;

/**
 * The secret values of a configuration (and the process environment): every variable whose name
 * looks like a secret (SECRET_NAME), the part after `:` of a bot token, and passwords inside
 * connection URLs (`DATABASE_URL`, `REDIS_URL`).
 * @returns distinct values of at least 6 characters, longest first (so a longer secret is replaced whole)
 */
export function secretValues(...sources: Array<Record<string, unknown>>): string[] {
  const found = new Set<string>();
  for (const source of sources) {
    for (const [name, value] of Object.entries(source)) {
      if (typeof value !== 'string' || value === '') continue;
      if (SECRET_NAME.test(name)) {
        found.add(value);
        const colon = value.indexOf(':');
        if (/^\d+:/.test(value)) found.add(value.slice(colon + 1));
      }
      const password = urlPassword(value);
      if (password) found.add(password);
    }
  }
  return [...found].filter((s) => s.length >= MIN_SECRET_LENGTH).sort((a, b) => b.length - a.length);
}

/** `text` with bot tokens and every one of `secrets` replaced by `[redacted]`. */
export function redactText(text: string, secrets: readonly string[]): string {
  let out = text.replace(BOT_TOKEN_IN_PATH, `/bot${REDACTED}`).replace(BOT_TOKEN, REDACTED);
  for (const secret of secrets) if (out.includes(secret)) out = out.split(secret).join(REDACTED);
  return out;
}

/**
 * Sentry `beforeSend`: removes what must never leave the process. The request keeps its method and
 * its URL without query string; its body (`data`), cookies, query string and every header but a few
 * harmless ones (SAFE_HEADERS) are dropped, so the webhook's `X-Telegram-Bot-Api-Secret-Token`,
 * `Authorization`, cookies and update JSON (message texts) never leave. Stack frames lose local
 * variables, the user is removed, breadcrumbs are scrubbed as by scrubBreadcrumb, and every
 * remaining string has bot tokens and the known `secrets` redacted.
 */
export function scrubEvent(event: ErrorEvent, secrets: readonly string[]): ErrorEvent {
  if (event.request) {
    const { method, url, headers } = event.request;
    event.request = {
      ...(method ? { method } : {}),
      ...(url ? { url: url.split('?')[0] } : {}),
      ...(headers ? { headers: Object.fromEntries(Object.entries(headers).filter(([name]) => SAFE_HEADERS.has(name.toLowerCase()))) } : {}),
    };
  }
  for (const exception of event.exception?.values ?? []) {
    for (const frame of exception.stacktrace?.frames ?? []) delete frame.vars;
  }
  if (event.breadcrumbs) event.breadcrumbs = event.breadcrumbs.map((b) => scrubBreadcrumb(b, secrets)).filter((b): b is Breadcrumb => b !== null);
  delete event.user;
  return redactDeep(event, secrets, 0);
}

/**
 * Sentry `beforeBreadcrumb`: console breadcrumbs are dropped (they may quote message texts); http
 * breadcrumbs keep only method, status and the URL without its query string; every string has bot
 * tokens (`/bot<token>/…` of outgoing Bot API calls) and the known `secrets` redacted.
 * @returns the scrubbed breadcrumb, or null to drop it
 */
export function scrubBreadcrumb(breadcrumb: Breadcrumb, secrets: readonly string[]): Breadcrumb | null {
  if (breadcrumb.category === 'console') return null;
  if (breadcrumb.data) {
    const data = Object.fromEntries(Object.entries(breadcrumb.data).filter(([key]) => SAFE_BREADCRUMB_DATA.has(key)));
    if (typeof data.url === 'string') data.url = data.url.split('?')[0];
    breadcrumb.data = data;
  }
  return redactDeep(breadcrumb, secrets, 0);
}

function redactDeep<T>(value: T, secrets: readonly string[], depth: number): T {
  if (typeof value === 'string') return redactText(value, secrets) as T;
  if (depth >= MAX_DEPTH || value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map((item) => redactDeep(item, secrets, depth + 1)) as T;
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) out[key] = redactDeep(item, secrets, depth + 1);
  return out as T;
}

function urlPassword(value: string): string | undefined {
  if (!/^[a-z][a-z0-9+.-]*:\/\//i.test(value)) return undefined;
  try {
    const password = decodeURIComponent(new URL(value).password);
    return password || undefined;
  } catch {
    return undefined;
  }
}
