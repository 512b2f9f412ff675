import type { ChatSettings, SerializedCall } from '@kraken/testing';

/**
 * Client of the Bot API emulator's control API (`/__emulator/…`, see control-api.ts) for a script
 * running in another process than the emulator (the demo).
 */
export class EmulatorClient {
  /** @param apiRoot the emulator's API root, e.g. `http://127.0.0.1:8081` */
  constructor(private readonly apiRoot: string) {}

  /** Configures a chat (type, title, administrators …). @throws Error when the emulator refuses. */
  setChat(id: number, settings: ChatSettings): Promise<void> {
    return this.request('POST', `/chats/${id}`, settings).then(() => undefined);
  }

  /** Moves the emulator's clock to `nowMs` (epoch ms); message dates follow. @throws Error when refused. */
  setClock(nowMs: number): Promise<void> {
    return this.request('POST', '/clock', { now: nowMs }).then(() => undefined);
  }

  /** Successful recorded calls of `method` to chat `chatId` (files as base64), oldest first. */
  async calls(method: string, chatId: number): Promise<SerializedCall[]> {
    const calls = (await this.request('GET', `/calls?method=${encodeURIComponent(method)}`)) as SerializedCall[];
    return calls.filter((call) => Number(call.params.chat_id) === chatId && call.response.status === 200);
  }

  /**
   * Polls `calls(method, chatId)` every 200 ms until one matches `accept`.
   * @returns the first matching call. @throws Error naming `what` after `timeoutMs`.
   */
  async waitFor(method: string, chatId: number, what: string, accept: (call: SerializedCall) => boolean = () => true, timeoutMs = 30_000): Promise<SerializedCall> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = (await this.calls(method, chatId)).find(accept);
      if (found) return found;
      if (Date.now() > deadline) throw new Error(`the emulator saw no ${what} within ${timeoutMs} ms`);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }

  private async request(method: string, path: string, body?: unknown): Promise<unknown> {
    const response = await fetch(`${this.apiRoot}/__emulator${path}`, {
      method,
      ...(body === undefined ? {} : { body: JSON.stringify(body), headers: { 'content-type': 'application/json' } }),
    });
    const answer = (await response.json()) as { ok: boolean; result?: unknown; description?: string };
    if (!answer.ok) throw new Error(`emulator ${method} ${path}: ${answer.description}`);
    return answer.result;
  }
}
