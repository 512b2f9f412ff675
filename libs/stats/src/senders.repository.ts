import type { PrismaClient } from '@kraken/db';

/** Reads the senders (users, and chats posting as themselves) the stats worker stored from updates. */
export class SendersRepository {
  constructor(private readonly prisma: Pick<PrismaClient, 'sender'>) {}

  /**
   * Display names of the senders among `ids` (Bot API user or chat ids) that are stored; unknown ids
   * are absent from the map. Prisma's typed client: a primary-key lookup.
   * @throws the database error
   */
  async names(ids: readonly number[]): Promise<Map<number, string>> {
    if (ids.length === 0) return new Map();
    const rows = await this.prisma.sender.findMany({ where: { id: { in: ids.map((id) => BigInt(id)) } }, select: { id: true, name: true } });
    return new Map(rows.map((row) => [Number(row.id), row.name]));
  }
}
