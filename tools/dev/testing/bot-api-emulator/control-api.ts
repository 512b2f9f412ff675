import type { IncomingMessage, ServerResponse } from 'node:http';
import type { CallMatcher } from './call-recorder';
import type {
  ChatSettings,
  DropConnectionOptions,
  FailRatioOptions,
  InjectFailureOptions,
  LatencyOptions,
  MessageDraft,
  RecordedCall,
  UploadedFile,
} from './emulator-types';
import type { UserMediaKind, UserMediaOptions } from './file-store';
import type { Update } from './update-queue';

/** Path prefix of the control API; never clashes with `/bot<token>/…`. */
export const CONTROL_PREFIX = '/__emulator';

/** The emulator operations the control API exposes (implemented by BotApiEmulator). */
export interface ControlTarget {
  calls(matcher?: CallMatcher): RecordedCall[];
  clearCalls(): void;
  injectFailure(options: InjectFailureOptions): void;
  failRatio(options: FailRatioOptions): void;
  dropConnection(options?: DropConnectionOptions): void;
  addLatency(options: LatencyOptions): void;
  clearFailures(): void;
  pushUpdate(update: Record<string, unknown>): Update;
  setChat(id: number | string, settings: ChatSettings): void;
  setClock(nowMs: number): void;
  addMedia(kind: UserMediaKind, data: Buffer, options?: UserMediaOptions): Record<string, unknown>;
  draft(chatId: number): MessageDraft | undefined;
  reset(): void;
  readonly apiRoot: string;
  readonly specVersion: string;
}

/** A recorded call with file bytes as base64, for JSON transport. */
export type SerializedCall = Omit<RecordedCall, 'files' | 'mediaUploads'> & {
  files: Record<string, SerializedFile>;
  mediaUploads?: Array<SerializedFile | null>;
};

/** An uploaded file as JSON: metadata plus base64 bytes. */
export interface SerializedFile {
  filename: string;
  mimeType: string;
  size: number;
  base64: string;
}

/**
 * Handles `/__emulator/…` so another process (the e2e demo, a benchmark) can drive the emulator.
 * Answers are `{ ok: true, result }` or `{ ok: false, description }` with status 400/404:
 * - `GET    /__emulator/health`              → `{ apiRoot, specVersion }`
 * - `GET    /__emulator/calls?method=name`   → recorded calls (files as base64)
 * - `DELETE /__emulator/calls`               → forget recorded calls
 * - `POST   /__emulator/failures`            → body = injectFailure options, or failRatio options when it has
 *                                              `ratio`, or dropConnection options when it has `drop: true`
 * - `POST   /__emulator/latency`             → body = addLatency options (`{ method?, chatId?, ms, times? }`)
 * - `DELETE /__emulator/failures`            → remove all failure, dropped-connection and latency rules
 * - `POST   /__emulator/updates`             → body = one Update or an array; result = assigned update_ids
 * - `POST   /__emulator/chats/:id`           → body = ChatSettings (type, title, username, memberCount, administrators, members)
 * - `POST   /__emulator/clock`             → body = `{ now: epoch ms }`: message dates from then on, the clock running on
 * - `POST   /__emulator/media`               → body = `{ kind, base64, ...UserMediaOptions }`: a file a user sends; result = the Message field(s) (addMedia)
 * - `GET    /__emulator/drafts/:chatId`      → the chat's current sendMessageDraft preview, or null
 * - `POST   /__emulator/reset`               → calls, failures, updates, webhook and chats back to the start state
 */
export async function handleControlRequest(
  target: ControlTarget,
  request: IncomingMessage,
  response: ServerResponse,
  url: URL,
): Promise<void> {
  const path = url.pathname.slice(CONTROL_PREFIX.length).replace(/\/+$/, '');
  const method = request.method ?? 'GET';
  try {
    if (method === 'GET' && path === '/health') {
      return send(response, 200, { ok: true, result: { apiRoot: target.apiRoot, specVersion: target.specVersion } });
    }
    if (path === '/calls' && method === 'GET') {
      const name = url.searchParams.get('method') ?? undefined;
      return send(response, 200, { ok: true, result: target.calls(name).map(serializeCall) });
    }
    const draft = /^\/drafts\/(-?\d+)$/.exec(path);
    if (draft && method === 'GET') return send(response, 200, { ok: true, result: target.draft(Number(draft[1])) ?? null });
    if (path === '/calls' && method === 'DELETE') return done(response, target.clearCalls());
    if (path === '/failures' && method === 'DELETE') return done(response, target.clearFailures());
    if (path === '/reset' && method === 'POST') return done(response, target.reset());
    if (method === 'POST') {
      const body = await readJson(request);
      if (path === '/failures') {
        const options = body as FailRatioOptions & InjectFailureOptions & DropConnectionOptions & { drop?: boolean };
        if (options.drop === true) return done(response, target.dropConnection(options));
        return done(response, options.ratio !== undefined ? target.failRatio(options) : target.injectFailure(options));
      }
      if (path === '/clock') {
        const now = (body as { now?: unknown }).now;
        if (typeof now !== 'number' || !Number.isFinite(now)) throw new Error('clock: body must be { now: epoch ms }');
        return done(response, target.setClock(now));
      }
      if (path === '/media') {
        const { kind, base64, ...options } = body as UserMediaOptions & { kind: UserMediaKind; base64: string };
        if (typeof base64 !== 'string') throw new Error('media: body must be { kind, base64, ...options }');
        return send(response, 200, { ok: true, result: target.addMedia(kind, Buffer.from(base64, 'base64'), options) });
      }
      if (path === '/latency') return done(response, target.addLatency(body as LatencyOptions));
      if (path === '/updates') {
        const updates = Array.isArray(body) ? body : [body];
        const ids = updates.map((update) => target.pushUpdate(update as Record<string, unknown>).update_id);
        return send(response, 200, { ok: true, result: ids });
      }
      const chat = /^\/chats\/([^/]+)$/.exec(path);
      if (chat) return done(response, target.setChat(chatKey(decodeURIComponent(chat[1])), body as ChatSettings));
    }
    send(response, 404, { ok: false, description: `no control route ${method} ${url.pathname}` });
  } catch (error) {
    send(response, 400, { ok: false, description: error instanceof Error ? error.message : String(error) });
  }
}

/** A recorded call with Buffers turned into base64 (see SerializedFile). */
export function serializeCall(call: RecordedCall): SerializedCall {
  const files = Object.fromEntries(Object.entries(call.files).map(([name, file]) => [name, serializeFile(file)]));
  const { mediaUploads, ...rest } = call;
  return {
    ...rest,
    files,
    ...(mediaUploads ? { mediaUploads: mediaUploads.map((file) => (file ? serializeFile(file) : null)) } : {}),
  };
}

function serializeFile(file: UploadedFile): SerializedFile {
  return { filename: file.filename, mimeType: file.mimeType, size: file.data.length, base64: file.data.toString('base64') };
}

function chatKey(id: string): number | string {
  return /^-?\d+$/.test(id) ? Number(id) : id;
}

async function readJson(request: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString('utf8');
  if (text.trim() === '') return {};
  try {
    return JSON.parse(text);
  } catch {
    throw new Error('body must be JSON');
  }
}

function done(response: ServerResponse, _result: void): void {
  send(response, 200, { ok: true, result: true });
}

function send(response: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  response.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  response.end(text);
}
