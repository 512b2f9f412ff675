import type { BotApiEmulator } from '@kraken/testing';
import { SECRET, type Deployment } from '../../ops/support/deployment';
import { postUpdate } from '../../support/processes';

/** A message that asks Kraken something, and where it was posted. */
export interface Trigger {
  chatId: number;
  messageId: number;
}

/**
 * Posts `count` messages addressed to the bot by name (`Кракен, …`, a trigger of issue 3) through the
 * webhook, each in its own group and from its own user, so no per-chat or per-user limit applies.
 * @throws Error when the webhook does not answer 200
 */
export async function postTriggers(deployment: Deployment, count: number): Promise<Trigger[]> {
  const triggers: Trigger[] = [];
  for (let i = 0; i < count; i++) {
    const chatId = -1009992000 - i;
    const update = {
      update_id: 900_000_000 + i,
      message: {
        message_id: 10 + i,
        date: Math.floor(Date.now() / 1000),
        chat: { id: chatId, type: 'supergroup', title: `Fault chat ${i}` },
        from: { id: 5_000_000 + i, is_bot: false, first_name: `Member ${i}` },
        text: `Кракен, как пережить сбой номер ${i}?`,
      },
    };
    const status = await postUpdate(deployment.webhook, SECRET, update);
    if (status !== 200) throw new Error(`trigger ${i}: webhook answered ${status}`);
    triggers.push({ chatId, messageId: 10 + i });
  }
  return triggers;
}

/** How many accepted replies each trigger got: none lost means no 0, none doubled means no 2+. */
export function triggerReplies(emulator: BotApiEmulator, triggers: Trigger[]): { answered: number; lost: Trigger[]; doubled: Trigger[] } {
  const count = (t: Trigger) =>
    emulator
      .calls('sendMessage')
      .filter((c) => c.response.status === 200 && Number(c.params.chat_id) === t.chatId && (c.params.reply_parameters as { message_id?: number } | undefined)?.message_id === t.messageId)
      .length;
  const lost = triggers.filter((t) => count(t) === 0);
  const doubled = triggers.filter((t) => count(t) > 1);
  return { answered: triggers.length - lost.length, lost, doubled };
}

/**
 * LLM settings for a deployment whose only provider is a fake at `baseUrl`. Questions that do not
 * address Kraken are not answered (CHAT_QUESTION_POLICY=off), so the replayed export's questions do
 * not add replies: only the triggers posted by postTriggers are answered.
 */
export function fakeLlmEnv(baseUrl: string, timeoutMs: number): Record<string, string> {
  return {
    LLM_PROVIDERS: 'fake',
    LLM_FAKE_BASE_URL: baseUrl,
    LLM_FAKE_API_KEY: 'sk-fault-suite',
    LLM_TIMEOUT_MS: String(timeoutMs),
    LLM_MAX_RETRIES: '1',
    LLM_WORKER_LOCK_MS: '3000',
    CHAT_USER_LIMIT: '100',
    CHAT_QUESTION_POLICY: 'off',
  };
}
