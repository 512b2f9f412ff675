import { OutboxCallSchema, OutboxJob, QueueName } from '@kraken/contracts';
import { redisConnection } from '@kraken/redis';
import { exportChatToUpdates, readExportFile } from '@kraken/export';
import { OUTBOX_JOB_OPTIONS } from '@kraken/outbox';
import type { BotApiEmulator } from '@kraken/testing';
import { Queue } from 'bullmq';
import { loadExportChat, referenceStats } from '../../support/export-reference';
import { CHAT_ID, EXPORT_FILE, TZ, type Deployment } from './deployment';

/** Monthly statistics computed independently from the export (test/support/export-reference). */
export const REFERENCE = referenceStats(loadExportChat(EXPORT_FILE).messages, TZ);
/** Months of the export, oldest first. */
export const MONTHS = [...REFERENCE.keys()].sort();
/** The export as Bot API updates, as `kraken replay` posts them. */
export const UPDATES = exportChatToUpdates(readExportFile(EXPORT_FILE)[0]);

/**
 * Compares `kraken stats --json` of every month with the reference (no member counts and no memes in
 * a replayed export: `members` null, every `memes` counter 0).
 * @returns one line per difference (`2024-03 messages: got 10, want 11`); empty when all months match
 */
export async function statsMismatches(deployment: Deployment): Promise<string[]> {
  const problems: string[] = [];
  for (const month of MONTHS) {
    const actual = await deployment.stats(month);
    const want: Record<string, unknown> = {
      chatId: CHAT_ID,
      tz: TZ,
      ...REFERENCE.get(month),
      members: { start: null, end: null },
      memes: 'all 0',
    };
    const got: Record<string, unknown> = {
      ...actual,
      byKind: Object.fromEntries(Object.entries(actual.byKind).filter(([, n]) => n !== 0)),
      memes: Object.values(actual.memes ?? {}).every((n) => n === 0) ? 'all 0' : actual.memes,
    };
    for (const [key, value] of Object.entries(want)) {
      const a = canonical(got[key]);
      const w = canonical(value);
      if (a !== w) problems.push(`${month} ${key}: got ${a}, want ${w}`);
    }
  }
  return problems;
}

/** JSON with object keys sorted, so equal values give equal text whatever their key order. */
function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : 1))) : v,
  );
}

/** A batch of outbound messages (outbox jobs) whose delivery a test checks. */
export interface Replies {
  texts: string[];
}

/**
 * Enqueues `count` sendMessage calls on the outbox queue as Kraken's features do (job id per reply,
 * per-chat limits on), spread round-robin over `chats` private chats starting with chat number
 * `firstChat`, so the per-chat limit of 1 message/s does not make the test slow. Texts are
 * `<label> #<i>`.
 */
export async function enqueueReplies(deployment: Deployment, label: string, count: number, chats = 8, firstChat = 0): Promise<Replies> {
  const queue = new Queue(QueueName.Outbox, { connection: redisConnection(deployment.env.REDIS_URL, 'worker'), prefix: deployment.env.QUEUE_PREFIX });
  const texts: string[] = [];
  try {
    for (let i = 0; i < count; i++) {
      const chatId = 7_000_000 + ((firstChat + i) % chats);
      const text = `${label} #${i}`;
      const call = OutboxCallSchema.parse({ method: 'sendMessage', params: { chat_id: chatId, text }, chatId, isMessage: true });
      await queue.add(OutboxJob.Call, call, { ...OUTBOX_JOB_OPTIONS, jobId: `${label}-${i}` });
      texts.push(text);
    }
  } finally {
    await queue.close();
  }
  return { texts };
}

/** How often Telegram (the emulator) accepted each reply: none lost means no 0, none doubled no 2+. */
export function replyDeliveries(emulator: BotApiEmulator, replies: Replies): { delivered: number; lost: string[]; doubled: string[] } {
  const accepted = new Map<string, number>();
  for (const call of emulator.calls('sendMessage')) {
    if (!call.response.body.ok) continue;
    const text = String(call.params.text);
    accepted.set(text, (accepted.get(text) ?? 0) + 1);
  }
  const lost = replies.texts.filter((t) => !accepted.has(t));
  const doubled = replies.texts.filter((t) => (accepted.get(t) ?? 0) > 1);
  return { delivered: replies.texts.length - lost.length, lost, doubled };
}
