import { OutboxCallFailedError, outboxFailureReason } from './outbox-call-failed.error';

describe('OutboxCallFailedError', () => {
  it('reads back the failed reason the outbox worker writes, retry_after and migrate_to_chat_id included', () => {
    const failures = [
      { method: 'setWebhook', errorCode: 400, description: 'Bad Request: bad webhook: HTTPS url must be provided for webhook' },
      { method: 'sendMessage', errorCode: 400, description: 'Bad Request: group chat was upgraded to a supergroup chat (migrate_to_chat_id -1001234)' },
      { method: 'getChat', errorCode: 403, description: 'Forbidden: bot was kicked (from the group)', retryAfter: 7 },
    ];
    for (const failure of failures) {
      const reason = outboxFailureReason(failure);
      const error = OutboxCallFailedError.fromFailedReason(reason);
      expect(error).toBeInstanceOf(OutboxCallFailedError);
      expect({ ...error }).toEqual({ name: 'OutboxCallFailedError', ...failure });
      expect(error?.message).toBe(reason);
    }
    expect(outboxFailureReason(failures[0]!)).toBe('setWebhook failed: 400 Bad Request: bad webhook: HTTPS url must be provided for webhook');
  });

  it('is not made from reasons Telegram did not give (network errors, 5xx after the last attempt, other failures)', () => {
    for (const reason of ['500: Internal Server Error', 'request to http://127.0.0.1:1/bot/getMe failed, reason: ECONNREFUSED', 'outbox job without an id']) {
      expect(OutboxCallFailedError.fromFailedReason(reason)).toBeUndefined();
    }
  });
});
