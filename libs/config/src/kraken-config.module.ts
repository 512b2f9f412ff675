import { DynamicModule, Module } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { z } from 'zod';
import { parseConfig } from './load-config';

/**
 * Global @nestjs/config module validated by a zod schema from this lib. Inject `ConfigService<T, true>`
 * and read typed values with `config.get('NAME', { infer: true })`.
 */
@Module({})
export class KrakenConfigModule {
  static forRoot(schema: z.ZodType): DynamicModule {
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
