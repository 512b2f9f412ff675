import type { ApiSpecIndex } from './api-spec';
import { BOT_HANDLERS } from './bot-handlers';
import { BotApiError } from './bot-api-error';
import type { CallRecorder } from './call-recorder';
import { type PreparedContent, applyContentRules } from './content-rules';
import type { EmulatorState, MethodHandler } from './emulator-state';
import type { BotUser, RecordedCall, RecordedResponse } from './emulator-types';
import type { FaultInjector } from './fault-injector';
import { MESSAGE_HANDLERS } from './message-handlers';
import { validateParams } from './param-validation';
import type { RawBotApiRequest } from './request-body';

/** Methods with their own behaviour; every other method of api.json answers `true` once valid. */
const HANDLERS: Record<string, MethodHandler> = { ...BOT_HANDLERS, ...MESSAGE_HANDLERS };

/** One call to dispatch: who called which method with what, and how it arrived. */
export interface DispatchRequest {
  token: string;
  /** Method name as requested (any case). */
  method: string;
  /** Parsed body; undefined when reading the body already failed with `readError`. */
  raw?: RawBotApiRequest;
  readError?: BotApiError;
  /** Aborted when the client goes away (ends a long poll). */
  signal: AbortSignal;
  source: RecordedCall['source'];
  /** The caller's name from an API root of `<apiRoot>/client/<name>/`, if it used one. */
  client?: string;
}

/** Options of the dispatcher: the single allowed token (if any) and the bot's profile. */
export interface DispatcherOptions {
  token?: string;
  bot?: Partial<BotUser>;
}

/**
 * Runs one Bot API call the way api.telegram.org does and records it:
 * dropped connection (dropConnection: nothing runs) → token check (401 `Unauthorized`) → method
 * lookup (404 `Not Found: method not found`) → injected failures → parameter validation against
 * api.json → content rules → the method's handler (or `true`) → injected latency (the call is
 * recorded and its effects are done before the answer waits). Every outcome, including failures,
 * is recorded in order.
 */
export class ApiDispatcher {
  private seq = 0;

  constructor(
    private readonly index: ApiSpecIndex,
    private readonly state: EmulatorState,
    private readonly recorder: CallRecorder,
    private readonly faults: FaultInjector,
    private readonly options: DispatcherOptions = {},
  ) {}

  /** Dispatches and records a call; never throws (failures become error responses). */
  async dispatch(request: DispatchRequest): Promise<RecordedResponse> {
    const at = this.state.nowMs();
    const seq = ++this.seq;
    const spec = this.index.findMethod(request.method);
    const call: RecordedCall = {
      seq,
      method: spec?.name ?? request.method,
      token: request.token,
      params: { ...(request.raw?.fields ?? {}) },
      files: request.raw?.files ?? {},
      at,
      response: { status: 0, body: { ok: true, result: null } },
      injected: false,
      source: request.source,
      ...(request.client ? { client: request.client } : {}),
    };
    const chatId = request.raw?.fields.chat_id;
    if (this.faults.nextDrop(call.method, chatId)) {
      call.injected = true;
      call.response = { status: 0, body: { ok: false, error_code: 0, description: 'connection dropped by the emulator' }, dropped: true };
      this.recorder.record(call);
      return call.response;
    }
    try {
      const result = await this.run(request, call);
      call.response = { status: 200, body: { ok: true, result } };
    } catch (error) {
      const failure = error instanceof BotApiError ? error : internalError(error);
      call.response = { status: failure.errorCode, body: failure.toBody() };
    }
    this.recorder.record(call);
    const latencyMs = this.faults.nextLatency(call.method, chatId);
    if (latencyMs > 0) await delay(latencyMs, request.signal);
    return call.response;
  }

  private async run(request: DispatchRequest, call: RecordedCall): Promise<unknown> {
    if (!isAuthorized(request.token, this.options.token)) throw new BotApiError(401, 'Unauthorized');
    if (request.readError) throw request.readError;
    const spec = this.index.findMethod(request.method);
    if (!spec) throw new BotApiError(404, 'Not Found: method not found');
    const raw = request.raw ?? { fields: {}, files: {} };
    this.state.bot = botUser(request.token, this.options.bot);

    let params: Record<string, unknown> | undefined;
    let validationError: unknown;
    try {
      params = validateParams(spec, this.index, raw);
      call.params = params;
    } catch (error) {
      validationError = error;
    }
    const injected = this.faults.next(spec.name, raw.fields.chat_id);
    if (injected) {
      call.injected = true;
      throw injected;
    }
    if (!params) throw validationError;
    const prepared: PreparedContent = applyContentRules(spec.name, params, raw.files);
    if (prepared.media && Array.isArray(params.media)) call.mediaUploads = prepared.media.map((item) => item.upload);
    const handler = HANDLERS[spec.name];
    if (!handler) return true;
    return await handler({ method: spec.name, params, files: raw.files, prepared, signal: request.signal }, this.state);
  }
}

/** Tokens look like `<bot id>:<secret>`; when the emulator was given one, only that one is accepted. */
function isAuthorized(token: string, expected: string | undefined): boolean {
  if (!/^\d+:[\w-]+$/.test(token)) return false;
  return expected === undefined || token === expected;
}

/**
 * The bot's User: id from the token (Telegram's bot id is the part before the colon), names
 * from options, capabilities as getMe reports them.
 */
export function botUser(token: string, overrides: Partial<BotUser> = {}): BotUser {
  const idFromToken = Number(token.split(':')[0]);
  return {
    id: Number.isSafeInteger(idFromToken) && idFromToken > 0 ? idFromToken : 1,
    is_bot: true,
    first_name: 'Kraken Test Bot',
    username: 'kraken_test_bot',
    can_join_groups: true,
    can_read_all_group_messages: true,
    supports_inline_queries: false,
    ...overrides,
  };
}

/** Resolves after `ms`, or as soon as `signal` aborts (the client went away). */
function delay(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    function done(): void {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done);
  });
}

function internalError(error: unknown): BotApiError {
  return new BotApiError(500, `Internal Server Error: ${error instanceof Error ? error.message : String(error)}`);
}
