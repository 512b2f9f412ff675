import { DynamicModule, Module, RequestMethod } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
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
  'text',
  '*.text',
  '*.*.text',
  'caption',
  '*.caption',
  '*.*.caption',
];

/**
 * Structured JSON logs (nestjs-pino) at LOG_LEVEL. pino-http's per-request middleware is skipped on the
 * webhook (its hot path; handlers log the update id themselves) and request auto-logging is off.
 */
@Module({})
export class KrakenLoggerModule {
  static forRoot(): DynamicModule {
    return {
      module: KrakenLoggerModule,
      imports: [
        LoggerModule.forRootAsync({
          inject: [ConfigService],
          useFactory: (config: ConfigService) => ({
            exclude: [{ method: RequestMethod.POST, path: 'telegram/webhook' }],
            pinoHttp: {
              level: config.get<string>('LOG_LEVEL') ?? 'info',
              autoLogging: false,
              redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
            },
          }),
        }),
      ],
    };
  }
}
