import { DynamicModule, Module } from '@nestjs/common';
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

/** Structured JSON logs (nestjs-pino) at LOG_LEVEL; HTTP requests are logged at debug only. */
@Module({})
export class KrakenLoggerModule {
  static forRoot(): DynamicModule {
    return {
      module: KrakenLoggerModule,
      imports: [
        LoggerModule.forRootAsync({
          inject: [ConfigService],
          useFactory: (config: ConfigService) => ({
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
