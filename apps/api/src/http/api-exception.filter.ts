import { STATUS_CODES } from 'node:http';
import { ArgumentsHost, Catch, HttpException, HttpStatus, Logger, type ExceptionFilter } from '@nestjs/common';
import { AuthError, type AuthErrorCode } from '@kraken/auth';
import { KbInputError } from '@kraken/kb';
import { LlmBudgetExceededError, LlmNotConfiguredError, LlmUnavailableError, type BudgetRefusal } from '@kraken/llm';
import { reportHttpError } from '@kraken/observability';
import type { Response } from 'express';
import { errorBody, type ErrorBody } from './error-body';
import { sendSseError } from '../questions/sse';

/** HTTP status of each refused account operation. */
const AUTH_STATUS: Record<AuthErrorCode, number> = {
  email_taken: HttpStatus.CONFLICT,
  invalid_credentials: HttpStatus.UNAUTHORIZED,
  account_blocked: HttpStatus.FORBIDDEN,
  invalid_token: HttpStatus.UNAUTHORIZED,
  refresh_reused: HttpStatus.UNAUTHORIZED,
  wrong_password: HttpStatus.FORBIDDEN,
  not_found: HttpStatus.NOT_FOUND,
  own_account: HttpStatus.CONFLICT,
};

/**
 * The API's one exception filter: every error becomes `{statusCode, error, message[, fields]}`.
 * HttpExceptions keep their status (their message when it is a string, else the reason phrase),
 * AuthErrors get AUTH_STATUS, a document the knowledge base cannot index (KbInputError) 400 (413 when
 * too large), a used-up LLM budget 429, an unconfigured or failing LLM 503, anything
 * else 500 with a generic message: logged with its stack (the request id is on the log line) and
 * reported to Sentry, never sent to the client. A 401 carries `WWW-Authenticate: Bearer` (RFC 6750),
 * a budget refusal `Retry-After` (seconds until it resets). Once a server-sent-event stream has
 * started, the error is sent as its `error` event instead.
 */
@Catch()
export class ApiExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('ApiExceptionFilter');

  catch(exception: unknown, host: ArgumentsHost): void {
    const res = host.switchToHttp().getResponse<Response>();
    const body = this.bodyOf(exception);
    if (res.headersSent) {
      sendSseError(res, body);
      return;
    }
    if (body.statusCode === HttpStatus.UNAUTHORIZED) res.setHeader('WWW-Authenticate', 'Bearer');
    if (exception instanceof LlmBudgetExceededError) {
      res.setHeader('Retry-After', String(Math.max(1, Math.ceil((exception.refusal.resetAt.getTime() - Date.now()) / 1000))));
    }
    res.status(body.statusCode).json(body);
  }

  private bodyOf(exception: unknown): ErrorBody {
    if (exception instanceof AuthError) return errorBody(AUTH_STATUS[exception.code], exception.message);
    if (exception instanceof KbInputError) return errorBody(exception.code === 'too-large' ? HttpStatus.PAYLOAD_TOO_LARGE : HttpStatus.BAD_REQUEST, exception.message);
    if (exception instanceof HttpException) {
      const status = exception.getStatus();
      const response = exception.getResponse() as string | { message?: unknown; fields?: ErrorBody['fields'] };
      const message = typeof response === 'string' ? response : response.message;
      const text = typeof message === 'string' ? message : Array.isArray(message) ? message.join('; ') : (STATUS_CODES[status] ?? 'error');
      return errorBody(status, text, typeof response === 'object' ? response.fields : undefined);
    }
    if (exception instanceof LlmBudgetExceededError) return errorBody(HttpStatus.TOO_MANY_REQUESTS, budgetMessage(exception.refusal));
    if (exception instanceof LlmNotConfiguredError) return errorBody(HttpStatus.SERVICE_UNAVAILABLE, 'no LLM provider is configured');
    if (exception instanceof LlmUnavailableError) {
      this.logger.warn(exception.message);
      return errorBody(HttpStatus.SERVICE_UNAVAILABLE, 'the LLM providers are unavailable; try again later');
    }
    this.logger.error(exception instanceof Error ? exception.stack ?? exception.message : String(exception));
    reportHttpError(exception);
    return errorBody(HttpStatus.INTERNAL_SERVER_ERROR, 'internal error');
  }
}

/** What a budget refusal says: whose budget, which period, its limit (USD) and when it resets. */
function budgetMessage({ scope, period, limitUsd, resetAt }: BudgetRefusal): string {
  const whose = { spender: 'your', chat: 'your Telegram chat’s (shared with the bot)', global: 'the service’s' }[scope];
  return `${whose} ${period === 'day' ? 'daily' : 'monthly'} LLM budget of $${limitUsd} is used up; it resets at ${resetAt.toISOString()}`;
}
