import { Global, Module } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { PrismaService } from './prisma.service';

/**
 * Provides one PrismaService for the app from DATABASE_URL and DATABASE_POOL_SIZE, both validated by
 * the app's schema (databaseEnv in @kraken/config).
 */
@Global()
@Module({
  providers: [
    {
      provide: PrismaService,
      inject: [ConfigService],
      useFactory: (config: ConfigService) =>
        new PrismaService({
          databaseUrl: config.getOrThrow<string>('DATABASE_URL'),
          poolSize: config.getOrThrow<number>('DATABASE_POOL_SIZE'),
        }),
    },
  ],
  exports: [PrismaService],
})
export class PrismaModule {}
