import { DynamicModule, Module } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { z } from 'zod';
import { loadDotEnv, parseConfig } from './load-config';

/**
 * Global @nestjs/config module validated by a zod schema from this lib. Inject `ConfigService<T, true>`
 * and read typed values with `config.get('NAME', { infer: true })`.
 */
@Module({})
export class KrakenConfigModule {
  /**
   * Loads `.env` from the working directory first (existing variables win, as in loadConfigOrExit):
   * this runs when the app's module file is imported, before `main()` and its loadConfigOrExit, and
   * @nestjs/config validates the environment right then.
   */
  static forRoot(schema: z.ZodType): DynamicModule {
    loadDotEnv();
    return {
      module: KrakenConfigModule,
      global: true,
      imports: [
        ConfigModule.forRoot({
          isGlobal: true,
          ignoreEnvFile: true,
          cache: true,
          validate: (env) => parseConfig(schema, env as NodeJS.ProcessEnv) as Record<string, unknown>,
        }),
      ],
    };
  }
}
