import { TelegramError } from 'telegraf';
import { classifyTelegramFailure } from './telegram-failure';

describe('classifyTelegramFailure', () => {
  it('reads retry_after from a 429', () => {
    const flood = new TelegramError({ error_code: 429, description: 'Too Many Requests: retry after 3', parameters: { retry_after: 3 } });
    expect(classifyTelegramFailure(flood)).toMatchObject({ kind: 'flood', retryAfterMs: 3000 });
  });

  it('treats 4xx other than 401/429 as permanent and keeps migrate_to_chat_id', () => {
    expect(classifyTelegramFailure(new TelegramError({ error_code: 403, description: 'Forbidden: bot was blocked by the user' })).kind).toBe(
      'permanent',
    );
    const migrated = new TelegramError({
      error_code: 400,
      description: 'Bad Request: group chat was upgraded to a supergroup chat',
      parameters: { migrate_to_chat_id: -1001234 },
    });
    expect(classifyTelegramFailure(migrated)).toMatchObject({ kind: 'permanent', description: expect.stringContaining('-1001234') });
  });

  it('retries 5xx, 401 and network errors', () => {
    expect(classifyTelegramFailure(new TelegramError({ error_code: 502, description: 'Bad Gateway' })).kind).toBe('transient');
    expect(classifyTelegramFailure(new TelegramError({ error_code: 401, description: 'Unauthorized' })).kind).toBe('transient');
    expect(classifyTelegramFailure(new Error('ECONNRESET')).kind).toBe('transient');
  });
});
