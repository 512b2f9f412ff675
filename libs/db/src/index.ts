export * from './prisma.service';
export * from './prisma.module';
export * from './generated/prisma/client';
export * from './migrations';
export * from './ensure-database';
