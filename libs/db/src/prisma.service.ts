import { Injectable, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { PrismaPg } from '@prisma/adapter-pg';
import { PrismaClient } from './generated/prisma/client';

/** Options of the PostgreSQL pool behind Prisma's pg driver adapter. */
export interface PrismaConnectionOptions {
  databaseUrl: string;
  /** Pool size (connections); default 10. */
  poolSize?: number;
}

/**
 * Nest-managed Prisma client: connects on module init, disconnects on shutdown. Built by PrismaModule
 * from the validated DATABASE_URL.
 */
@Injectable()
export class PrismaService extends (PrismaClient as new (...args: any[]) => PrismaClient) implements OnModuleInit, OnModuleDestroy {
  constructor(options: PrismaConnectionOptions) {
    super({ adapter: new PrismaPg({ connectionString: options.databaseUrl, max: options.poolSize ?? 10 }) });
  }

  async onModuleInit(): Promise<void> {
    await this.$connect();
  }

  async onModuleDestroy(): Promise<void> {
    await this.$disconnect();
  }
}
