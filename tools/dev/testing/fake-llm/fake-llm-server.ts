import { type IncomingMessage, type Server, type ServerResponse, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ChatCompletionCreateParams } from 'openai/resources/chat/completions';
import type { ImageGenerateParams } from 'openai/resources/images';
import type { ResponseCreateParams } from 'openai/resources/responses/responses';
import { checkTranscriptionUpload, readTranscriptionUpload, sendTranscription } from './audio-transcriptions';
import { sendChatCompletion, streamChatCompletion } from './chat-completions';
import { chatImages, messageText, responsesInput } from './content-parts';
import { fakeEmbedding } from './fake-embedding';
import type {
  FakeContextMessage,
  FakeFailureStep,
  FakeImageRequest,
  FakeImageStep,
  FakeLlmOptions,
  FakeLlmRequest,
  FakeLlmStep,
  FakeRequestBase,
  FakeResponsesRequest,
  FakeTranscriptionRequest,
  FakeTranscriptionStep,
} from './fake-llm-types';
import { fakeImage, imagesResponse } from './image-generations';
import { readBody, sendError, sendJson, sleep } from './http-io';
import { type StoredResponse, sendResponse, streamResponse } from './responses-api';

/** Default token count: ceil(characters / 4). */
const quarterOfLength = (text: string) => Math.ceil(text.length / 4);

/**
 * An OpenAI-compatible server for tests (base URL `http://127.0.0.1:<port>/v1`; give it to the
 * `openai` SDK as `baseURL`). Every request is recorded; answers come from scripted steps and then
 * from a fallback function per endpoint:
 * - `POST /chat/completions` → `requests`; steps from `script()`, then `respond` (default
 *   `Answer #<seq>`). Plain, or with `stream: true` as server-sent events (chunks, a
 *   `finish_reason` chunk, a usage chunk when `stream_options.include_usage`, `[DONE]`). Image parts
 *   of the messages are in `request.images`.
 * - `POST /responses` (Responses API) → `responsesRequests`; the same `script()` queue, then
 *   `respondToResponse`. Stored responses (`store` not false) can be continued with
 *   `previous_response_id` (unknown ids → 400 `previous_response_not_found`); `request.context`
 *   shows the whole conversation the model saw; `stream: true` sends the Responses streaming events.
 * - `POST /audio/transcriptions` (multipart) → `transcriptionRequests` with the uploaded bytes;
 *   steps from `scriptTranscriptions()`, then `transcribe`. Checks format, size and OGG/WAV integrity
 *   as OpenAI does; the duration is read from OGG/Opus and WAV files.
 * - `POST /images/generations` → `imageRequests` with the PNGs answered; steps from
 *   `scriptImages()`, then `generateImage` (default: a solid-colour PNG of the requested size). URLs
 *   point at `GET /v1/fake-images/<seq>-<index>.png` on this server.
 * - `POST /embeddings` → fakeEmbedding vectors (inputs in `embeddingRequests`).
 *
 * Any step can be a failure (`{ status }` or `{ hang: true }`). `latencyMs` delays every answer,
 * `tokensPerSecond` paces streams, `contextWindowTokens` refuses (or, for Responses with
 * `truncation: "auto"`, truncates) prompts that do not fit, `visionModels` refuses image parts for
 * other models, `maxCompletionTokensModels` refuses `max_tokens` for those models as OpenAI does for
 * its reasoning models. Requests without `model` (or chat `messages`) get OpenAI's 400. Token counts default to ceil(characters / 4) (`countTokens`).
 *
 * Usage: `const llm = new FakeLlmServer(); const baseUrl = await llm.start();` → `…/v1`, then stop().
 */
export class FakeLlmServer {
  /** `/chat/completions` requests, in arrival order. */
  readonly requests: FakeLlmRequest[] = [];
  /** `/responses` requests, in arrival order. */
  readonly responsesRequests: FakeResponsesRequest[] = [];
  /** `/audio/transcriptions` requests, in arrival order. */
  readonly transcriptionRequests: FakeTranscriptionRequest[] = [];
  /** `/images/generations` requests, in arrival order. */
  readonly imageRequests: FakeImageRequest[] = [];
  /** Inputs of the `/embeddings` requests received, in order. */
  readonly embeddingRequests: string[][] = [];
  /** Fallback for chat completions when no scripted step is left. */
  respond: (request: FakeLlmRequest) => FakeLlmStep = defaultRespond;
  /** Fallback for `/responses` when no scripted step is left. */
  respondToResponse: (request: FakeResponsesRequest) => FakeLlmStep = defaultRespond;
  /** Fallback for `/audio/transcriptions`; default `Transcript #<seq>`. */
  transcribe: (request: FakeTranscriptionRequest) => FakeTranscriptionStep = defaultTranscribe;
  /** Fallback for `/images/generations`; default: generated PNGs. */
  generateImage: (request: FakeImageRequest) => FakeImageStep = () => ({});
  /** See FakeLlmOptions. */
  latencyMs: number;
  tokensPerSecond?: number;
  contextWindowTokens?: number;
  visionModels?: string[];
  maxCompletionTokensModels?: string[];
  countTokens: (text: string) => number;
  private readonly steps: FakeLlmStep[] = [];
  private readonly transcriptionSteps: FakeTranscriptionStep[] = [];
  private readonly imageSteps: FakeImageStep[] = [];
  private readonly storedResponses = new Map<string, StoredResponse>();
  private readonly waiters = new Set<() => void>();
  private server?: Server;
  private port = 0;

  constructor(options: FakeLlmOptions = {}) {
    this.latencyMs = options.latencyMs ?? 0;
    this.tokensPerSecond = options.tokensPerSecond;
    this.contextWindowTokens = options.contextWindowTokens;
    this.visionModels = options.visionModels;
    this.maxCompletionTokensModels = options.maxCompletionTokensModels;
    this.countTokens = options.countTokens ?? quarterOfLength;
  }

  /** Starts listening on 127.0.0.1 (random port). @returns the base URL, e.g. `http://127.0.0.1:4711/v1`. */
  async start(): Promise<string> {
    const server = createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    this.server = server;
    this.port = (server.address() as AddressInfo).port;
    return this.baseUrl;
  }

  /** `http://127.0.0.1:<port>/v1`. */
  get baseUrl(): string {
    return `http://127.0.0.1:${this.port}/v1`;
  }

  /** Appends steps answered (chat completions and `/responses` alike, in arrival order) before falling back to `respond`/`respondToResponse`. */
  script(...steps: FakeLlmStep[]): void {
    this.steps.push(...steps);
  }

  /** Appends steps answered by `/audio/transcriptions` before falling back to `transcribe`. */
  scriptTranscriptions(...steps: FakeTranscriptionStep[]): void {
    this.transcriptionSteps.push(...steps);
  }

  /** Appends steps answered by `/images/generations` before falling back to `generateImage`. */
  scriptImages(...steps: FakeImageStep[]): void {
    this.imageSteps.push(...steps);
  }

  /** Forgets recorded requests, scripted steps and stored responses; restores the default responders. */
  reset(): void {
    for (const list of [this.requests, this.responsesRequests, this.transcriptionRequests, this.imageRequests, this.embeddingRequests]) list.length = 0;
    this.steps.length = 0;
    this.transcriptionSteps.length = 0;
    this.imageSteps.length = 0;
    this.storedResponses.clear();
    this.respond = defaultRespond;
    this.respondToResponse = defaultRespond;
    this.transcribe = defaultTranscribe;
    this.generateImage = () => ({});
  }

  /** Resolves once `count` chat-completion requests in total were received. @throws Error on timeout. */
  async waitForRequests(count: number, timeoutMs = 5000): Promise<FakeLlmRequest[]> {
    await this.waitUntil(() => this.requests.length >= count, timeoutMs, () => `expected ${count} requests, got ${this.requests.length}`);
    return this.requests.slice(0, count);
  }

  /**
   * Resolves once `condition` holds, checked at every request the fake receives and every aborted
   * request (e.g. `() => llm.transcriptionRequests.length === 1`, `() => llm.requests[0].aborted`).
   *
   * @throws Error with `describe()` on timeout.
   */
  async waitUntil(condition: () => boolean, timeoutMs = 5000, describe: () => string = () => 'condition not met'): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!condition()) {
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`fake LLM: ${describe()}`);
      await new Promise<void>((resolve) => {
        const wake = () => {
          clearTimeout(timer);
          this.waiters.delete(wake);
          resolve();
        };
        const timer = setTimeout(wake, left);
        this.waiters.add(wake);
      });
    }
  }

  /** Stops listening and drops open (hanging) connections. */
  async stop(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = new URL(req.url ?? '/', 'http://fake').pathname;
    const image = /\/fake-images\/(\d+)-(\d+)\.png$/.exec(path);
    if (req.method === 'GET' && image) return this.serveImage(res, Number(image[1]), Number(image[2]));
    if (req.method !== 'POST') return this.noRoute(req, res);
    if (path.endsWith('/audio/transcriptions')) return this.handleTranscription(req, res);
    let body: unknown;
    try {
      body = JSON.parse((await readBody(req)).toString('utf8'));
    } catch {
      return sendError(res, 400, { message: 'We could not parse the JSON body of your request.' });
    }
    if (path.endsWith('/embeddings')) return this.handleEmbeddings(res, body as { model: string; input: string | string[] });
    if (path.endsWith('/chat/completions')) return this.handleChat(res, body as ChatCompletionCreateParams, req);
    if (path.endsWith('/responses')) return this.handleResponses(res, body as ResponseCreateParams, req);
    if (path.endsWith('/images/generations')) return this.handleImages(res, body as ImageGenerateParams, req);
    return this.noRoute(req, res);
  }

  private noRoute(req: IncomingMessage, res: ServerResponse): void {
    sendError(res, 404, { message: `no route ${req.method} ${req.url}` });
  }

  /** Common fields of a recorded request. */
  private base(req: IncomingMessage, seq: number): FakeRequestBase {
    return { seq, at: Date.now(), authorization: req.headers.authorization, aborted: false };
  }

  /** Records a request; its `aborted` turns true if the client leaves before the answer ends. */
  private recorded<T extends FakeRequestBase>(list: T[], request: T, res: ServerResponse): T {
    list.push(request);
    res.on('close', () => {
      if (res.writableFinished) return;
      request.aborted = true;
      this.wakeWaiters();
    });
    this.wakeWaiters();
    return request;
  }

  private wakeWaiters(): void {
    for (const wake of [...this.waiters]) wake();
  }

  private handleEmbeddings(res: ServerResponse, body: { model: string; input: string | string[] }): void {
    const inputs = Array.isArray(body.input) ? body.input : [body.input];
    this.embeddingRequests.push(inputs);
    sendJson(res, 200, {
      object: 'list',
      model: body.model,
      data: inputs.map((input, index) => ({ object: 'embedding', index, embedding: fakeEmbedding(input) })),
      usage: { prompt_tokens: 0, total_tokens: 0 },
    });
  }

  private async handleChat(res: ServerResponse, body: ChatCompletionCreateParams, req: IncomingMessage): Promise<void> {
    const messages = Array.isArray(body.messages) ? body.messages : [];
    const request = this.recorded(this.requests, { ...this.base(req, this.requests.length + 1), body, images: chatImages(messages) }, res);
    const step = this.steps.shift() ?? this.respond(request);
    if (await this.failed(res, step)) return;
    const answer = step as Extract<FakeLlmStep, { text: string }>;
    if (typeof body.model !== 'string' || !Array.isArray(body.messages)) {
      const missing = typeof body.model !== 'string' ? 'model' : 'messages';
      return sendError(res, 400, { message: `Missing required parameter: '${missing}'.`, param: missing, code: 'missing_required_parameter' });
    }
    if (body.max_tokens !== undefined && body.max_tokens !== null && this.maxCompletionTokensModels?.includes(body.model)) {
      return sendError(res, 400, {
        message: "Unsupported parameter: 'max_tokens' is not supported with this model. Use 'max_completion_tokens' instead.",
        param: 'max_tokens',
        code: 'unsupported_parameter',
      });
    }
    if (request.images.length > 0 && !this.canSee(body.model)) {
      return sendError(res, 400, { message: 'Invalid content type. image_url is only supported by certain models.', param: 'messages', code: null });
    }
    const promptTokens = this.countTokens(messages.map((m) => messageText(m.content)).join('\n'));
    if (this.contextWindowTokens !== undefined && promptTokens > this.contextWindowTokens) {
      return sendError(res, 400, {
        message: `This model's maximum context length is ${this.contextWindowTokens} tokens. However, your messages resulted in ${promptTokens} tokens. Please reduce the length of the messages.`,
        param: 'messages',
        code: 'context_length_exceeded',
      });
    }
    const usage = answer.usage ?? { prompt_tokens: promptTokens, completion_tokens: this.countTokens(answer.text) };
    if (body.stream === true) return streamChatCompletion(res, request, answer, usage, this);
    sendChatCompletion(res, request, answer, usage);
  }

  private async handleResponses(res: ServerResponse, body: ResponseCreateParams, req: IncomingMessage): Promise<void> {
    const input = responsesInput(body.input);
    const request = this.recorded(this.responsesRequests, {
      ...this.base(req, this.responsesRequests.length + 1),
      body,
      context: [],
      truncatedMessages: 0,
      images: input.images,
    }, res);
    const step = this.steps.shift() ?? this.respondToResponse(request);
    if (await this.failed(res, step)) return;
    const answer = step as Extract<FakeLlmStep, { text: string }>;
    if (typeof body.model !== 'string') return sendError(res, 400, { message: "Missing required parameter: 'model'.", param: 'model', code: 'missing_required_parameter' });
    let history: FakeContextMessage[] = [];
    if (body.previous_response_id) {
      const previous = this.storedResponses.get(body.previous_response_id);
      if (!previous) {
        return sendError(res, 400, {
          message: `Previous response with id '${body.previous_response_id}' not found.`,
          param: 'previous_response_id',
          code: 'previous_response_not_found',
        });
      }
      history = previous.conversation;
    }
    if (input.images.length > 0 && !this.canSee(body.model)) {
      return sendError(res, 400, { message: 'Invalid content type. input_image is only supported by certain models.', param: 'input', code: null });
    }
    const instructions: FakeContextMessage[] = typeof body.instructions === 'string' ? [{ role: 'system', text: body.instructions }] : [];
    let conversation = [...history, ...input.messages];
    const tokensOf = (messages: FakeContextMessage[]) => this.countTokens(messages.map((m) => m.text).join('\n'));
    const window = this.contextWindowTokens;
    if (window !== undefined && tokensOf([...instructions, ...conversation]) > window) {
      if (body.truncation !== 'auto') {
        return sendError(res, 400, {
          message: 'Your input exceeds the context window of this model. Please adjust your input and try again.',
          param: 'input',
          code: 'context_length_exceeded',
        });
      }
      while (conversation.length > 1 && tokensOf([...instructions, ...conversation]) > window) {
        conversation = conversation.slice(1);
        request.truncatedMessages++;
      }
    }
    request.context = [...instructions, ...conversation];
    const id = `resp_fake_${request.seq}`;
    request.responseId = id;
    // Stored once answered in full, so a cut or stalled stream cannot be continued.
    const store = () => body.store !== false && this.storedResponses.set(id, { conversation: [...conversation, { role: 'assistant', text: answer.text }] });
    const usage = answer.usage ?? { prompt_tokens: tokensOf(request.context), completion_tokens: this.countTokens(answer.text) };
    if (body.stream !== true) {
      store();
      return sendResponse(res, request, id, answer, usage);
    }
    if (await streamResponse(res, request, id, answer, usage, this)) store();
  }

  private async handleTranscription(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (!(req.headers['content-type'] ?? '').startsWith('multipart/form-data')) {
      return sendError(res, 400, { message: 'Expected a multipart/form-data body with a file part.' });
    }
    const upload = await readTranscriptionUpload(req);
    const request = this.recorded(this.transcriptionRequests, {
      ...this.base(req, this.transcriptionRequests.length + 1),
      fields: upload.fields,
      ...(upload.file ? { file: upload.file } : {}),
    }, res);
    const step = this.transcriptionSteps.shift() ?? this.transcribe(request);
    if (await this.failed(res, step)) return;
    const answer = step as Extract<FakeTranscriptionStep, { text: string }>;
    const measured = checkTranscriptionUpload(res, upload);
    if (measured === false) return;
    sendTranscription(res, request, { text: answer.text, language: answer.language, duration: answer.duration ?? measured ?? 0 });
  }

  private async handleImages(res: ServerResponse, body: ImageGenerateParams, req: IncomingMessage): Promise<void> {
    const request = this.recorded(this.imageRequests, { ...this.base(req, this.imageRequests.length + 1), body, output: [] }, res);
    const step = this.imageSteps.shift() ?? this.generateImage(request);
    if (await this.failed(res, step)) return;
    if (typeof body.prompt !== 'string' || body.prompt === '') return sendError(res, 400, { message: "Missing required parameter: 'prompt'.", param: 'prompt', code: 'missing_required_parameter' });
    const answer = step as Extract<FakeImageStep, { revisedPrompt?: string }>;
    const count = body.n ?? 1;
    for (let index = 0; index < count; index++) request.output.push(answer.png ?? fakeImage(body.prompt, body.size, index));
    sendJson(res, 200, imagesResponse(request, (index) => `${this.baseUrl}/fake-images/${request.seq}-${index}.png`, answer.revisedPrompt));
  }

  private serveImage(res: ServerResponse, seq: number, index: number): void {
    const png = this.imageRequests[seq - 1]?.output[index];
    if (!png) return sendError(res, 404, { message: 'no such fake image' });
    res.writeHead(200, { 'content-type': 'image/png', 'content-length': png.length });
    res.end(png);
  }

  private canSee(model: string | undefined): boolean {
    return this.visionModels === undefined || this.visionModels.includes(model ?? '');
  }

  /**
   * Waits the server latency and the step's delay, then answers a failure step.
   *
   * @returns true when the step was a failure (answered, or hanging), false for a success to answer.
   */
  private async failed(res: ServerResponse, step: FakeLlmStep | FakeTranscriptionStep | FakeImageStep): Promise<boolean> {
    if ('hang' in step) return true;
    await sleep(this.latencyMs + (step.delayMs ?? 0));
    if (!('status' in step)) return false;
    const failure = step as Extract<FakeFailureStep, { status: number }>;
    const headers: Record<string, string> = failure.retryAfterMs !== undefined ? { 'retry-after-ms': String(failure.retryAfterMs) } : {};
    sendError(res, failure.status, { message: failure.message ?? `fake error ${failure.status}`, type: 'fake_error', code: failure.code ?? null }, headers);
    return true;
  }
}

function defaultRespond(request: { seq: number }): FakeLlmStep {
  return { text: `Answer #${request.seq}` };
}

function defaultTranscribe(request: { seq: number }): FakeTranscriptionStep {
  return { text: `Transcript #${request.seq}` };
}
