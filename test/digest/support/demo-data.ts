import { join } from 'node:path';
import type { PrismaService } from '@kraken/db';
import { exportChatToUpdates, readExportFile } from '@kraken/export';
import { FactWriter, parseMonth, toBatch, type Month, type TaggedFact } from '@kraken/stats';
import { classifyUpdate } from '@kraken/telegram';

/** The bundled real export, its supergroup's Bot API chat id and the time zone months are cut in. */
export const EXPORT_FILE = join(__dirname, '..', '..', 'fixtures', 'impact-group', 'result.json');
export const DEMO_CHAT_ID = -1002482670091;
export const DEMO_TZ = 'Europe/Moscow';

/**
 * Fills a migrated database with the real export the way `kraken import` does (readExportFile →
 * exportChatToUpdates → classifyUpdate → FactWriter), keeping every text (the export is older than
 * TEXT_RETENTION_DAYS; the digest's material needs the texts, as it has them live).
 * @returns the chat id and its busiest month (most messages, ties by the earlier month)
 */
export async function importDemoExport(prisma: PrismaService): Promise<{ chatId: number; busiest: Month; busiestText: string }> {
  const writer = new FactWriter(prisma, 1_000_000);
  const facts: TaggedFact[] = [];
  for (const update of exportChatToUpdates(readExportFile(EXPORT_FILE)[0])) {
    const classified = classifyUpdate(update);
    if (!classified) continue;
    const kind = classified.job === 'chat-member' ? 'chatMember' : classified.job === 'reaction-count' ? 'reactionCount' : classified.job === 'reaction' ? 'reaction' : 'message';
    facts.push({ kind, fact: classified.fact } as TaggedFact);
  }
  for (let i = 0; i < facts.length; i += 1000) await writer.write(toBatch(facts.slice(i, i + 1000)));
  const [row] = await prisma.$queryRaw<Array<{ month: string }>>`
    SELECT to_char("date" AT TIME ZONE ${DEMO_TZ}, 'YYYY-MM') AS month FROM "Message" WHERE "chatId" = ${BigInt(DEMO_CHAT_ID)}
    GROUP BY 1 ORDER BY count(*) DESC, month ASC LIMIT 1`;
  return { chatId: DEMO_CHAT_ID, busiest: parseMonth(row.month), busiestText: row.month };
}
