import { Global, Module } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { PrismaService } from './prisma.service';

/** Provides one PrismaService for the app from DATABASE_URL (and optional DATABASE_POOL_SIZE). */
@Global()
@Module({
  providers: [
    {
      provide: PrismaService,
      inject: [ConfigService],
      useFactory: (config: ConfigService) =>
        new PrismaService({
          databaseUrl: config.getOrThrow<string>('DATABASE_URL'),
          poolSize: Number(config.get('DATABASE_POOL_SIZE') ?? 10),
        }),
    },
  ],
  exports: [PrismaService],
})
export class PrismaModule {}
