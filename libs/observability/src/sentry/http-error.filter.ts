import { ArgumentsHost, Catch, HttpException } from '@nestjs/common';
import { BaseExceptionFilter } from '@nestjs/core';
import * as Sentry from '@sentry/nestjs';

/**
 * Global exception filter: reports unexpected errors of HTTP requests to Sentry (when initSentry
 * started it), then answers as Nest's default filter does. HttpExceptions (4xx, the webhook's 503)
 * are expected and not reported. Errors of other contexts (Telegraf handlers, which nestjs-telegraf
 * runs through Nest's external context and which must reach the webhook controller unchanged) are
 * rethrown untouched.
 */
@Catch()
export class HttpErrorFilter extends BaseExceptionFilter {
  /** Reports and answers an HTTP error; rethrows errors of other contexts. */
  override catch(exception: unknown, host: ArgumentsHost): void {
    if (host.getType() !== 'http') throw exception;
    if (!(exception instanceof HttpException)) reportHttpError(exception);
    super.catch(exception, host);
  }
}

/** Reports an unexpected error of an HTTP request to Sentry; no-op when initSentry did not start it. */
export function reportHttpError(exception: unknown): void {
  if (Sentry.isInitialized()) Sentry.captureException(exception);
}
