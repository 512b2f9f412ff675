import { DynamicModule, Module, RequestMethod } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { LoggerModule } from 'nestjs-pino';

/**
 * Paths redacted from every log line: the webhook secret header, authorization headers, tokens and
 * passwords, and message texts and captions (as fields of a logged object, or of an object inside
 * it, such as a job's data or an outbox call's params). Kraken's own code never logs texts at info.
 */
export const REDACTED_PATHS = [
  'req.headers["x-telegram-bot-api-secret-token"]',
  'req.headers.authorization',
  'req.headers.cookie',
  '*.token',
  '*.secret_token',
  'password',
  '*.password',
  '*.currentPassword',
  '*.newPassword',
  '*.passwordHash',
  '*.accessToken',
  '*.refreshToken',
  'text',
  '*.text',
  '*.*.text',
  'caption',
  '*.caption',
  '*.*.caption',
];

/** Options of KrakenLoggerModule.forRoot. */
export interface KrakenLoggerOptions {
  /**
   * Log one line per HTTP request (id, method, URL, status, time; no headers) and take the request id from a valid
   * `X-Request-Id` header (else a random UUID), echoing it in the response; every line written while
   * the request runs carries it as `req.id`. Default false (the gateway's webhook is its hot path).
   */
  requestLogs?: boolean;
}

/**
 * What a request log line keeps of the request and response: id, method, URL (path and query) and
 * status. No headers (they carry credentials, and cost more to write than the rest of the line).
 */
const REQUEST_LOG_SERIALIZERS = {
  req: (req: { id?: unknown; method?: string; url?: string }) => ({ id: req.id, method: req.method, url: req.url }),
  res: (res: { statusCode?: number }) => ({ statusCode: res.statusCode }),
};

/** An incoming request id Kraken keeps: 1-64 characters of A-Z a-z 0-9 . _ - (anything else is replaced). */
const REQUEST_ID = /^[A-Za-z0-9._-]{1,64}$/;

/** The request id of `req`: a valid `X-Request-Id` header, else a random UUID; set on the response too. */
export function requestId(req: IncomingMessage, res: ServerResponse): string {
  const header = req.headers['x-request-id'];
  const id = typeof header === 'string' && REQUEST_ID.test(header) ? header : randomUUID();
  res.setHeader('X-Request-Id', id);
  return id;
}

/**
 * Structured JSON logs (nestjs-pino) at LOG_LEVEL. pino-http's per-request middleware is skipped on the
 * webhook (its hot path; handlers log the update id themselves); request logs and ids per `options`.
 */
@Module({})
export class KrakenLoggerModule {
  static forRoot(options: KrakenLoggerOptions = {}): DynamicModule {
    return {
      module: KrakenLoggerModule,
      imports: [
        LoggerModule.forRootAsync({
          inject: [ConfigService],
          useFactory: (config: ConfigService) => ({
            exclude: [{ method: RequestMethod.POST, path: 'telegram/webhook' }],
            pinoHttp: {
              level: config.get<string>('LOG_LEVEL') ?? 'info',
              autoLogging: options.requestLogs ?? false,
              ...(options.requestLogs ? { genReqId: requestId, quietReqLogger: true, serializers: REQUEST_LOG_SERIALIZERS } : {}),
              redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
            },
          }),
        }),
      ],
    };
  }
}
