import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One request the fake received on /v1/chat/completions. */
export interface FakeLlmRequest {
  /** 1-based arrival order. */
  seq: number;
  /** Arrival time, ms since the epoch. */
  at: number;
  /** `Authorization` header as sent (e.g. `Bearer sk-…`). */
  authorization?: string;
  /** The parsed JSON body: model, messages, max_tokens, temperature … */
  body: { model: string; messages: Array<{ role: string; content: string }>; [key: string]: unknown };
}

/**
 * What the fake does with one request:
 * - `{ text }`: a normal completion (optionally after `delayMs`, with `usage` overrides); when the
 *   request asks for `stream: true` the text is sent as server-sent events (see FakeLlmServer), in
 *   `chunks` if given (else word by word), `chunkDelayMs` apart, and the connection is cut after
 *   `cutAfterChunks` pieces if set (a provider dying mid-stream);
 * - `{ status }`: an OpenAI-style error answer (429 with `retryAfterMs` → `retry-after-ms` header);
 * - `{ hang: true }`: never answers (the client times out; the socket is closed at stop()).
 */
export type FakeLlmStep =
  | {
      text: string;
      delayMs?: number;
      usage?: { prompt_tokens: number; completion_tokens: number };
      chunks?: string[];
      chunkDelayMs?: number;
      cutAfterChunks?: number;
    }
  | { status: number; message?: string; retryAfterMs?: number }
  | { hang: true };

/** Dimensions of the fake `/embeddings` vectors. */
export const FAKE_EMBEDDING_DIMENSIONS = 64;

/**
 * A deterministic stand-in for an embeddings model: each lower-cased word (letters and digits) adds 1
 * to one of FAKE_EMBEDDING_DIMENSIONS dimensions picked by a hash of the word; the vector is
 * L2-normalized. Texts sharing words are close; no semantics.
 */
export function fakeEmbedding(text: string): number[] {
  const vector = new Array<number>(FAKE_EMBEDDING_DIMENSIONS).fill(0);
  for (const word of text.toLowerCase().match(/[\p{L}\d]+/gu) ?? []) {
    let hash = 2166136261;
    for (const char of word) hash = Math.imul(hash ^ char.codePointAt(0)!, 16777619) >>> 0;
    vector[hash % FAKE_EMBEDDING_DIMENSIONS] += 1;
  }
  const norm = Math.hypot(...vector) || 1;
  return vector.map((v) => v / norm);
}

/**
 * An OpenAI-compatible chat-completions server for tests: `POST /v1/chat/completions`, plain or, with
 * `stream: true`, as server-sent events the way OpenAI streams them (`chat.completion.chunk` objects
 * with `delta.content`, a last chunk with `finish_reason`, then, when `stream_options.include_usage`
 * is set, a chunk with empty `choices` and the `usage`, then `data: [DONE]`), and `POST /v1/embeddings`
 * answered with fakeEmbedding vectors (recorded in `embeddingRequests`, not in `requests`). Every
 * request is recorded; answers come from the scripted steps (`script`, consumed
 * in order) and then from `respond` (default: `Answer #<seq>`). Usage counts default to
 * ceil(characters / 4) so tests do not depend on a tokenizer.
 *
 * Usage: `const llm = new FakeLlmServer(); const baseUrl = await llm.start();` → `…/v1`, then stop().
 */
export class FakeLlmServer {
  readonly requests: FakeLlmRequest[] = [];
  /** Inputs of the `/embeddings` requests received, in order. */
  readonly embeddingRequests: string[][] = [];
  /** Fallback when no scripted step is left. */
  respond: (request: FakeLlmRequest) => FakeLlmStep = (request) => ({ text: `Answer #${request.seq}` });
  private readonly steps: FakeLlmStep[] = [];
  private readonly waiters: Array<() => void> = [];
  private server?: Server;
  private port = 0;

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

  /** Appends steps answered before falling back to `respond`. */
  script(...steps: FakeLlmStep[]): void {
    this.steps.push(...steps);
  }

  /** Forgets recorded requests and scripted steps; restores the default responder. */
  reset(): void {
    this.requests.length = 0;
    this.steps.length = 0;
    this.respond = (request) => ({ text: `Answer #${request.seq}` });
  }

  /** Resolves once `count` requests in total were received. @throws Error on timeout. */
  async waitForRequests(count: number, timeoutMs = 5000): Promise<FakeLlmRequest[]> {
    const deadline = Date.now() + timeoutMs;
    while (this.requests.length < count) {
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`fake LLM: expected ${count} requests, got ${this.requests.length}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
    return this.requests.slice(0, count);
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
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    if (req.method === 'POST' && req.url?.endsWith('/embeddings')) {
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { model: string; input: string | string[] };
      const inputs = Array.isArray(body.input) ? body.input : [body.input];
      this.embeddingRequests.push(inputs);
      return send(res, 200, {
        object: 'list',
        model: body.model,
        data: inputs.map((input, index) => ({ object: 'embedding', index, embedding: fakeEmbedding(input) })),
        usage: { prompt_tokens: 0, total_tokens: 0 },
      });
    }
    if (req.method !== 'POST' || !req.url?.endsWith('/chat/completions')) {
      return send(res, 404, { error: { message: `no route ${req.method} ${req.url}`, type: 'invalid_request_error' } });
    }
    const request: FakeLlmRequest = {
      seq: this.requests.length + 1,
      at: Date.now(),
      authorization: req.headers.authorization,
      body: JSON.parse(Buffer.concat(chunks).toString('utf8')),
    };
    this.requests.push(request);
    this.waiters.splice(0).forEach((wake) => wake());
    const step = this.steps.shift() ?? this.respond(request);
    if ('hang' in step) return;
    if ('status' in step) {
      const headers: Record<string, string> = step.retryAfterMs !== undefined ? { 'retry-after-ms': String(step.retryAfterMs) } : {};
      return send(res, step.status, { error: { message: step.message ?? `fake error ${step.status}`, type: 'fake_error', code: null } }, headers);
    }
    if (step.delayMs) await new Promise((resolve) => setTimeout(resolve, step.delayMs));
    const promptChars = request.body.messages.reduce((n, m) => n + String(m.content).length, 0);
    const usage = step.usage ?? { prompt_tokens: Math.ceil(promptChars / 4), completion_tokens: Math.ceil(step.text.length / 4) };
    if (request.body.stream === true) return streamAnswer(res, request, step, usage);
    send(res, 200, {
      id: `chatcmpl-fake-${request.seq}`,
      object: 'chat.completion',
      created: Math.floor(Date.now() / 1000),
      model: request.body.model,
      choices: [{ index: 0, message: { role: 'assistant', content: step.text }, finish_reason: 'stop', logprobs: null }],
      usage: { ...usage, total_tokens: usage.prompt_tokens + usage.completion_tokens },
    });
  }
}

function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  if (res.destroyed) return;
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify(body));
}

/**
 * Streams a completion as OpenAI does (https://platform.openai.com/docs/api-reference/chat-streaming):
 * `data: <chunk JSON>` events, the last content chunk carrying `finish_reason: "stop"`, a usage chunk
 * when `stream_options.include_usage` is true, and `data: [DONE]`.
 */
async function streamAnswer(
  res: ServerResponse,
  request: FakeLlmRequest,
  step: Extract<FakeLlmStep, { text: string }>,
  usage: { prompt_tokens: number; completion_tokens: number },
): Promise<void> {
  if (res.destroyed) return;
  res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive' });
  const base = { id: `chatcmpl-fake-${request.seq}`, object: 'chat.completion.chunk', created: Math.floor(Date.now() / 1000), model: request.body.model };
  const event = (data: unknown) => res.write(`data: ${typeof data === 'string' ? data : JSON.stringify(data)}\n\n`);
  const pieces = step.chunks ?? step.text.match(/\S+\s*|\s+/g) ?? [];
  event({ ...base, choices: [{ index: 0, delta: { role: 'assistant', content: '' }, finish_reason: null, logprobs: null }] });
  for (const [i, piece] of pieces.entries()) {
    if (step.cutAfterChunks !== undefined && i >= step.cutAfterChunks) {
      res.socket?.end(); // what was written still arrives, then the connection ends mid-response
      return;
    }
    if (step.chunkDelayMs) await new Promise((resolve) => setTimeout(resolve, step.chunkDelayMs));
    if (res.destroyed) return;
    event({ ...base, choices: [{ index: 0, delta: { content: piece }, finish_reason: null, logprobs: null }] });
  }
  event({ ...base, choices: [{ index: 0, delta: {}, finish_reason: 'stop', logprobs: null }] });
  const options = request.body.stream_options as { include_usage?: boolean } | undefined;
  if (options?.include_usage) event({ ...base, choices: [], usage: { ...usage, total_tokens: usage.prompt_tokens + usage.completion_tokens } });
  event('[DONE]');
  res.end();
}
