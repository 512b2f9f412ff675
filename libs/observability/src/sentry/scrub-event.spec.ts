import type { ErrorEvent } from '@sentry/nestjs';
import { redactText, scrubBreadcrumb, scrubEvent, secretValues } from './scrub-event';

describe('Sentry scrubbing', () => {
  const secrets = secretValues(
    { BOT_TOKEN: '123456:AAH-secret_part_of_the_token', WEBHOOK_SECRET: 'webhook-secret-value', DATABASE_URL: 'postgresql://kraken:db-pass-123@db:5432/kraken', PORT: '3000' },
    { LLM_OPENAI_API_KEY: 'sk-test-key-value', SHORT_TOKEN: 'abc' },
  );

  test('secret values come from secret-looking names and URL passwords, never from other variables', () => {
    expect(secrets).toEqual(
      expect.arrayContaining(['123456:AAH-secret_part_of_the_token', 'AAH-secret_part_of_the_token', 'webhook-secret-value', 'db-pass-123', 'sk-test-key-value']),
    );
    expect(secrets).not.toContain('3000');
    expect(secrets).not.toContain('abc'); // too short to search for
  });

  test('bot tokens in URLs and known secrets are redacted in any text', () => {
    expect(redactText('request to http://api/bot987654:XYZ-abc_def/sendMessage failed', [])).toBe('request to http://api/bot[redacted]/sendMessage failed');
    expect(redactText('key sk-test-key-value and db-pass-123', secrets)).toBe('key [redacted] and [redacted]');
  });

  test('an event keeps method and path of its request and loses body, cookies, query and secret headers', () => {
    const event = scrubEvent(
      {
        type: undefined,
        request: {
          method: 'POST',
          url: 'http://gw/telegram/webhook?token=x',
          data: '{"text":"hello"}',
          cookies: { session: 'c' },
          query_string: 'token=x',
          headers: { 'x-telegram-bot-api-secret-token': 'webhook-secret-value', authorization: 'Bearer t', 'content-type': 'application/json' },
        },
        exception: { values: [{ type: 'Error', value: 'failed at /bot1:AAA/getMe', stacktrace: { frames: [{ function: 'f', vars: { text: 'hello' } }] } }] },
        user: { id: '1' },
      } as ErrorEvent,
      secrets,
    );
    expect(event.request).toEqual({ method: 'POST', url: 'http://gw/telegram/webhook', headers: { 'content-type': 'application/json' } });
    expect(event.exception?.values?.[0].value).toBe('failed at /bot[redacted]/getMe');
    expect(event.exception?.values?.[0].stacktrace?.frames?.[0].vars).toBeUndefined();
    expect(event.user).toBeUndefined();
  });

  test('console breadcrumbs are dropped; http breadcrumbs keep method, status and a redacted URL', () => {
    expect(scrubBreadcrumb({ category: 'console', message: 'text' }, secrets)).toBeNull();
    expect(scrubBreadcrumb({ category: 'http', data: { url: 'http://api/bot1:AAA/sendMessage?x=1', 'http.method': 'POST', status_code: 200, body: 'text' } }, secrets)).toEqual({
      category: 'http',
      data: { url: 'http://api/bot[redacted]/sendMessage', 'http.method': 'POST', status_code: 200 },
    });
  });
});
