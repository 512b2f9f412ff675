import { Injectable, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { PrismaPg } from '@prisma/adapter-pg';
import { PrismaClient } from './generated/prisma/client';

/** Options of the PostgreSQL pool behind Prisma's pg driver adapter. */
export interface PrismaConnectionOptions {
  databaseUrl: string;
  /** Pool size (connections); default 10. */
  poolSize?: number;
}

/**
 * Nest-managed Prisma client: connects on module init, disconnects at application shutdown, after
 * every onModuleDestroy/beforeApplicationShutdown hook (where workers stop and drain) has run. Built by PrismaModule
 * from the validated DATABASE_URL.
 */
@Injectable()
export class PrismaService extends (PrismaClient as new (...args: any[]) => PrismaClient) implements OnModuleInit, OnApplicationShutdown {
  constructor(options: PrismaConnectionOptions) {
    super({ adapter: new PrismaPg({ connectionString: options.databaseUrl, max: options.poolSize ?? 10 }) });
  }

  async onModuleInit(): Promise<void> {
    await this.$connect();
  }

  /** Disconnects last (after workers drained in their own shutdown hooks). */
  async onApplicationShutdown(): Promise<void> {
    await this.$disconnect();
  }
}
