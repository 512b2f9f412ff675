import { type IncomingMessage, type Server, type ServerResponse, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ApiDispatcher, botUser } from './api-dispatcher';
import { commandsKey } from './bot-handlers';
import { ApiSpecIndex, loadApiSpec, resolveApiSpecPath } from './api-spec';
import { BotApiError } from './bot-api-error';
import { type CallMatcher, CallRecorder } from './call-recorder';
import { ChatRegistry } from './chat-registry';
import { CONTROL_PREFIX, type ControlTarget, handleControlRequest } from './control-api';
import type { EmulatorState } from './emulator-state';
import type {
  BotUser,
  ChatSettings,
  DropConnectionOptions,
  FailRatioOptions,
  InjectFailureOptions,
  LatencyOptions,
  MessageDraft,
  RecordedCall,
  RecordedResponse,
  WaitForOptions,
} from './emulator-types';
import { FaultInjector } from './fault-injector';
import { type FileDownload, FileStore, type UserMediaKind, type UserMediaOptions } from './file-store';
import { readBotApiRequest } from './request-body';
import { type Update, UpdateQueue } from './update-queue';
import { WebhookDelivery } from './webhook-delivery';

/** Options of BotApiEmulator; all optional. */
export interface BotApiEmulatorOptions {
  /** Interface to listen on; default 127.0.0.1. */
  host?: string;
  /** TCP port; default 0 (a random free port, see `apiRoot` after `start()`). */
  port?: number;
  /** api.json location; default found by `resolveApiSpecPath` (the repository's `test/fixtures/telegram-bot-api/api.json`, else `<workspace>/shared/…`). */
  specPath?: string;
  /** When set, other tokens get `401 Unauthorized`; otherwise any `<digits>:<secret>` token works. */
  token?: string;
  /** getMe profile overrides; the id defaults to the token's numeric prefix. */
  bot?: Partial<BotUser>;
  /** First message_id in every chat; default 1. */
  firstMessageId?: number;
  /** getChatMemberCount for group chats without a configured count; default 42. */
  defaultMemberCount?: number;
  /** Seed of failRatio's RNG; default 1. */
  seed?: number;
  /** Recorded calls kept (oldest dropped); default 100000. */
  maxRecordedCalls?: number;
  /** Delay before re-sending an update the webhook refused; default 1000 ms. */
  webhookRetryMs?: number;
  /** Clock in epoch ms (message dates, failRatio expiry); default Date.now. */
  clock?: () => number;
}

/**
 * An in-process stand-in for https://api.telegram.org: serves `POST|GET /bot<token>/<method>`
 * over HTTP, validates every call against the official api.json, answers with realistic results,
 * records every call, injects failures on demand, emulates getUpdates long polling and webhook
 * delivery, and exposes a control API under `/__emulator` for other processes.
 *
 * Several processes can be told apart: an API root of `<apiRoot>/client/<name>/` (Telegraf resolves
 * `./bot<token>/<method>` against it) serves the same API and records `client: <name>` on each call.
 *
 * Usage: `const emulator = new BotApiEmulator(); const apiRoot = await emulator.start();`
 * `new Telegram(token, { apiRoot })`, then `await emulator.stop()` (or `await BotApiEmulator.create()`).
 */
export class BotApiEmulator implements ControlTarget {
  /** Version string of the loaded api.json, e.g. "Bot API 10.1". */
  readonly specVersion: string;
  private readonly index: ApiSpecIndex;
  private readonly recorder: CallRecorder;
  private readonly faults: FaultInjector;
  private readonly state: EmulatorState;
  private readonly dispatcher: ApiDispatcher;
  private server?: Server;
  private boundPort = 0;
  /** Added to the clock by setClock, in ms. */
  private clockShiftMs = 0;

  /** @throws Error when api.json cannot be found or read. */
  constructor(private readonly options: BotApiEmulatorOptions = {}) {
    this.index = new ApiSpecIndex(loadApiSpec(resolveApiSpecPath(options.specPath)));
    this.specVersion = this.index.spec.version;
    const clock = options.clock ?? Date.now;
    const nowMs = () => clock() + this.clockShiftMs;
    this.recorder = new CallRecorder(options.maxRecordedCalls);
    this.faults = new FaultInjector(options.seed ?? 1, nowMs);
    const updates = new UpdateQueue();
    this.state = {
      bot: botUser(options.token ?? '1:emulator', options.bot),
      chats: new ChatRegistry(options.firstMessageId, options.defaultMemberCount),
      updates,
      webhook: new WebhookDelivery(updates, (response) => this.handleWebhookReply(response), options.webhookRetryMs, nowMs),
      commands: new Map(),
      nowMs,
      files: new FileStore(),
      drafts: new Map(),
    };
    this.dispatcher = new ApiDispatcher(this.index, this.state, this.recorder, this.faults, {
      token: options.token,
      bot: options.bot,
    });
  }

  /** Creates an emulator and starts listening; `emulator.apiRoot` is then the URL to use. */
  static async create(options: BotApiEmulatorOptions = {}): Promise<BotApiEmulator> {
    const emulator = new BotApiEmulator(options);
    await emulator.start();
    return emulator;
  }

  /**
   * Starts the HTTP server.
   *
   * @returns the API root URL (same as `apiRoot`), e.g. `http://127.0.0.1:38211`.
   * @throws Error when already listening or the port cannot be bound.
   */
  async start(): Promise<string> {
    if (this.server) throw new Error('BotApiEmulator is already listening');
    const server = createServer((request, response) => void this.route(request, response));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.options.port ?? 0, this.options.host ?? '127.0.0.1', () => {
        server.off('error', reject);
        resolve();
      });
    });
    this.server = server;
    this.boundPort = (server.address() as AddressInfo).port;
    return this.apiRoot;
  }

  /**
   * Stops listening: answers waiting long polls with `[]`, stops webhook delivery, closes idle
   * connections at once and connections still busy after 200 ms.
   */
  async stop(): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.server = undefined;
    this.state.updates.terminatePoll();
    this.state.webhook.delete();
    await new Promise<void>((resolve) => setImmediate(resolve));
    await new Promise<void>((resolve) => {
      const force = setTimeout(() => server.closeAllConnections(), 200);
      server.close(() => {
        clearTimeout(force);
        resolve();
      });
      server.closeIdleConnections();
    });
  }

  /** The port actually bound (after `listen`). */
  get port(): number {
    return this.boundPort;
  }

  /** Base URL to give Telegraf as `apiRoot`, e.g. `http://127.0.0.1:38211`. */
  get apiRoot(): string {
    const host = this.options.host && this.options.host !== '0.0.0.0' ? this.options.host : '127.0.0.1';
    return `http://${host.includes(':') ? `[${host}]` : host}:${this.boundPort}`;
  }

  /** Recorded calls in arrival order, optionally filtered by method name (any case) or predicate. */
  calls(matcher?: CallMatcher): RecordedCall[] {
    return this.recorder.calls(matcher);
  }

  /** Forgets recorded calls. */
  clearCalls(): void {
    this.recorder.clear();
  }

  /**
   * Resolves with the first `count` calls matching `matcher` once recorded (see CallRecorder.waitFor).
   *
   * @throws Error (rejection) on timeout, listing the recorded calls.
   */
  waitFor(matcher: CallMatcher, options?: WaitForOptions): Promise<RecordedCall[]> {
    return this.recorder.waitFor(matcher, options);
  }

  /** Subscribes to every recorded call; returns the unsubscribe function. */
  onCall(listener: (call: RecordedCall) => void): () => void {
    return this.recorder.onCall(listener);
  }

  /**
   * Makes the next `times` matching calls fail (see InjectFailureOptions).
   *
   * @throws Error on invalid options.
   */
  injectFailure(options: InjectFailureOptions): void {
    this.faults.inject(options);
  }

  /**
   * Makes matching calls fail at random with probability `ratio` (seeded, reproducible).
   *
   * @throws Error on invalid options.
   */
  failRatio(options: FailRatioOptions): void {
    this.faults.failRatio(options);
  }

  /**
   * Closes the connection of the next `times` matching calls without answering (a network failure;
   * the call is not executed).
   *
   * @throws Error on invalid options.
   */
  dropConnection(options: DropConnectionOptions = {}): void {
    this.faults.drop(options);
  }

  /**
   * Answers matching calls `ms` late: each is executed and recorded at once (a sent message is sent),
   * only the answer waits, as with a slow Telegram.
   *
   * @throws Error on invalid options.
   */
  addLatency(options: LatencyOptions): void {
    this.faults.latency(options);
  }

  /** Removes every failure, dropped-connection and latency rule. */
  clearFailures(): void {
    this.faults.clear();
  }

  /**
   * Queues an update for getUpdates/webhook delivery; `update_id` is assigned when missing.
   *
   * @throws Error when the update is not an object or its update_id goes backwards.
   */
  pushUpdate(update: Record<string, unknown>): Update {
    return this.state.updates.push(update);
  }

  /** Updates not yet confirmed by the bot. */
  pendingUpdates(): Update[] {
    return this.state.updates.peek(Number.MAX_SAFE_INTEGER);
  }

  /** Configures a chat: type, title, username, member count, administrators, members. */
  setChat(id: number | string, settings: ChatSettings): void {
    this.state.chats.configure(id, settings);
  }

  /**
   * Moves the emulator's clock (message dates, failRatio expiry) so that it reads `nowMs` (epoch ms)
   * now; it keeps running from there.
   */
  setClock(nowMs: number): void {
    this.clockShiftMs = 0;
    this.clockShiftMs = nowMs - this.state.nowMs();
  }

  /** Back to the start state: no calls, failures, updates, webhook, commands, chat settings, files or drafts. */
  reset(): void {
    this.recorder.clear();
    this.state.files.clear();
    this.state.drafts.clear();
    this.faults.clear();
    this.state.webhook.delete();
    this.state.updates.reset();
    this.state.commands.clear();
    this.state.chats = new ChatRegistry(this.options.firstMessageId, this.options.defaultMemberCount);
  }

  private async route(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? '/', 'http://emulator');
    if (url.pathname === CONTROL_PREFIX || url.pathname.startsWith(`${CONTROL_PREFIX}/`)) {
      return handleControlRequest(this, request, response, url);
    }
    const download = /^\/file\/bot([^/]+)\/(.+)$/.exec(url.pathname);
    if (download) return this.serveFile(decodeURIComponent(download[1]), decodeURIComponent(download[2]), response);
    const match = /^(?:\/client\/([^/]+))?\/bot([^/]+)\/([^/]+)\/?$/.exec(url.pathname);
    if (!match) return sendJson(response, { status: 404, body: { ok: false, error_code: 404, description: 'Not Found' } });
    const abort = new AbortController();
    response.on('close', () => abort.abort());
    let raw;
    let readError: BotApiError | undefined;
    try {
      raw = await readBotApiRequest(request.headers, request, url.searchParams);
    } catch (error) {
      readError = error instanceof BotApiError ? error : new BotApiError(400, `Bad Request: ${String(error)}`);
    }
    const answer = await this.dispatcher.dispatch({
      token: decodeURIComponent(match[2]),
      method: match[3],
      ...(match[1] ? { client: decodeURIComponent(match[1]) } : {}),
      raw,
      readError,
      signal: abort.signal,
      source: 'http',
    });
    if (answer.dropped) request.socket.destroy();
    else if (!response.writableEnded && !response.destroyed) sendJson(response, answer);
  }

  /**
   * Registers a file as if a user had sent it as a document: the returned ids go into the test
   * update's `document`, getFile then answers with a `file_path`, and the bytes are served at
   * `/file/bot<token>/<file_path>` (https://core.telegram.org/bots/api#getfile). See addMedia for
   * voice notes, photos and the other kinds.
   */
  addFile(data: Buffer, fileName = 'file'): { file_id: string; file_unique_id: string; file_size: number } {
    const { document } = this.state.files.addMedia('document', data, { fileName }) as { document: { file_id: string; file_unique_id: string; file_size: number } };
    return { file_id: document.file_id, file_unique_id: document.file_unique_id, file_size: document.file_size };
  }

  /**
   * Registers a file a user sends as `kind` and returns the Message field(s) to spread into a test
   * update, e.g. `{ voice: { file_id, file_unique_id, duration, mime_type, file_size } }` or
   * `{ photo: PhotoSize[] }`; getFile and the download route then serve the bytes. A `fileSize`
   * option above 20 MB makes getFile answer `Bad Request: file is too big` (see UserMediaOptions).
   */
  addMedia(kind: UserMediaKind, data: Buffer, options?: UserMediaOptions): Record<string, unknown> {
    return this.state.files.addMedia(kind, data, options);
  }

  /** Every request to `/file/bot<token>/<file_path>` so far (path, time, status), oldest first. */
  fileDownloads(): FileDownload[] {
    return this.state.files.downloads();
  }

  /**
   * The preview a private chat shows: the last sendMessageDraft to it, while younger than Telegram's
   * 30 seconds (emulator clock) and not replaced by a sendMessage into that chat; else undefined.
   */
  draft(chatId: number): MessageDraft | undefined {
    const draft = this.state.drafts.get(chatId);
    return draft && this.state.nowMs() - draft.at < DRAFT_LIFETIME_MS ? draft : undefined;
  }

  /** The commands setMyCommands stored for a scope (default: BotCommandScopeDefault) and language (default: none), as getMyCommands answers. */
  myCommands(scope?: Record<string, unknown>, languageCode?: string): unknown[] {
    return this.state.commands.get(commandsKey({ scope, language_code: languageCode })) ?? [];
  }

  /** Serves a file download and logs it; 401 for a token other than the emulator's, 404 for unknown paths. */
  private serveFile(token: string, path: string, response: ServerResponse): void {
    const data = this.state.files.byPath(path);
    const status = this.options.token && token !== this.options.token ? 401 : data ? 200 : 404;
    this.state.files.recordDownload({ path, at: this.state.nowMs(), status });
    if (status === 401) return sendJson(response, { status, body: { ok: false, error_code: 401, description: 'Unauthorized' } });
    if (!data) return sendJson(response, { status: 404, body: { ok: false, error_code: 404, description: 'Not Found' } });
    response.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': data.length });
    response.end(data);
  }

  /** Executes a method call returned in a webhook response body, as Telegram does. */
  private async handleWebhookReply(response: IncomingMessage): Promise<void> {
    const raw = await readBotApiRequest(response.headers, response);
    const method = raw.fields.method;
    if (typeof method !== 'string' || method === '') return;
    const { method: _method, ...fields } = raw.fields;
    await this.dispatcher.dispatch({
      token: this.options.token ?? `${this.state.bot.id}:webhook`,
      method,
      raw: { fields, files: raw.files },
      signal: new AbortController().signal,
      source: 'webhook-reply',
    });
  }
}

/** How long a sendMessageDraft preview stays: "a temporary 30-second preview" (https://core.telegram.org/bots/api#sendmessagedraft). */
const DRAFT_LIFETIME_MS = 30_000;

function sendJson(response: ServerResponse, answer: RecordedResponse): void {
  const text = JSON.stringify(answer.body);
  response.writeHead(answer.status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  response.end(text);
}
