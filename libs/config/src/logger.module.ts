import { DynamicModule, Module, RequestMethod } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { LoggerModule } from 'nestjs-pino';

/**
 * Paths redacted from every log line: the webhook secret header, authorization headers and tokens.
 * Message texts are never logged at info level by Kraken's own code.
 */
export const REDACTED_PATHS = [
  'req.headers["x-telegram-bot-api-secret-token"]',
  'req.headers.authorization',
  'req.headers.cookie',
  '*.token',
  '*.secret_token',
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
