import type { ChatCompletionCreateParams } from 'openai/resources/chat/completions';
import type { ImageGenerateParams } from 'openai/resources/images';
import type { ResponseCreateParams } from 'openai/resources/responses/responses';

/** What every recorded request of the fake carries. */
export interface FakeRequestBase {
  /** 1-based arrival order within its own list (`requests`, `responsesRequests`, …). */
  seq: number;
  /** Arrival time, ms since the epoch. */
  at: number;
  /** `Authorization` header as sent (e.g. `Bearer sk-…`). */
  authorization?: string;
  /** True once the client closed the connection before the answer was complete (an aborted call, e.g. `/cancel`). */
  aborted: boolean;
}

/**
 * An image the model was shown: an `image_url` part of a chat message or an `input_image` item of a
 * Responses API input. `data`/`mimeType` are filled for `data:` URLs (base64), the way the assistant
 * sends Telegram photos.
 */
export interface FakeImageInput {
  /** Role of the message that carried it. */
  role: string;
  url: string;
  detail?: string;
  mimeType?: string;
  data?: Buffer;
}

/** One request the fake received on `/chat/completions`. */
export interface FakeLlmRequest extends FakeRequestBase {
  /** The parsed JSON body (openai's ChatCompletionCreateParams): model, messages, max_tokens, stream … */
  body: ChatCompletionCreateParams;
  /** Every `image_url` content part of the messages, in order. */
  images: FakeImageInput[];
}

/** A message of the context a Responses API call produced: previous turns (via previous_response_id) plus the new input. */
export interface FakeContextMessage {
  role: string;
  /** Text parts joined with `\n`. */
  text: string;
}

/** One request the fake received on `/responses`. */
export interface FakeResponsesRequest extends FakeRequestBase {
  /** The parsed JSON body (openai's ResponseCreateParams): model, input, previous_response_id, store, truncation … */
  body: ResponseCreateParams;
  /**
   * The whole conversation the model saw: `instructions` as a system message, then the stored chain of
   * `previous_response_id` (inputs and answers, oldest first), then this call's input; after
   * `truncation: "auto"` dropped what did not fit.
   */
  context: FakeContextMessage[];
  /** How many oldest context messages `truncation: "auto"` dropped. */
  truncatedMessages: number;
  /** Every `input_image` part of this call's input, in order. */
  images: FakeImageInput[];
  /** The response id the fake answered with (`resp_fake_<seq>`), unset on failures. */
  responseId?: string;
}

/** A file part received in a multipart upload. */
export interface FakeUploadedFile {
  filename: string;
  mimeType: string;
  data: Buffer;
}

/** One request the fake received on `/audio/transcriptions` (multipart/form-data). */
export interface FakeTranscriptionRequest extends FakeRequestBase {
  /** Text fields as sent: model, language, prompt, response_format, temperature … */
  fields: Record<string, string>;
  /** The uploaded `file` part, bytes as received. */
  file?: FakeUploadedFile;
}

/** One request the fake received on `/images/generations`. */
export interface FakeImageRequest extends FakeRequestBase {
  /** The parsed JSON body (openai's ImageGenerateParams): model, prompt, n, size, response_format … */
  body: ImageGenerateParams;
  /** The PNG files answered (as base64 or behind a URL), in order. */
  output: Buffer[];
}

/**
 * A failure any endpoint can be scripted with:
 * - `{ status }`: an OpenAI-style error answer (`code` in the body; 429 with `retryAfterMs` → `retry-after-ms` header);
 * - `{ hang: true }`: never answers (the client times out; the socket is closed at stop()).
 */
export type FakeFailureStep =
  | { status: number; message?: string; code?: string; retryAfterMs?: number; delayMs?: number }
  | { hang: true };

/**
 * What the fake does with one `/chat/completions` or `/responses` request:
 * - `{ text }`: an answer after `delayMs` (plus the server's `latencyMs`), with `usage` overrides
 *   (`prompt_tokens` is `input_tokens` for the Responses API). Streamed requests get the text in
 *   `chunks` if given (else word by word), `chunkDelayMs` apart, or paced at `tokensPerSecond`
 *   (else the server's); the connection is cut after `cutAfterChunks` pieces (a provider dying
 *   mid-stream) or left open without more data after `stallAfterChunks` (a stalled stream);
 * - a FakeFailureStep.
 */
export type FakeLlmStep =
  | {
      text: string;
      delayMs?: number;
      usage?: { prompt_tokens: number; completion_tokens: number; cached_tokens?: number };
      chunks?: string[];
      chunkDelayMs?: number;
      tokensPerSecond?: number;
      cutAfterChunks?: number;
      stallAfterChunks?: number;
    }
  | FakeFailureStep;

/**
 * What the fake does with one `/audio/transcriptions` request: a transcript (`language` as a full
 * English name the way verbose_json reports it, e.g. `russian`; `duration` in seconds, default
 * read from the OGG/WAV upload), or a failure.
 */
export type FakeTranscriptionStep = { text: string; language?: string; duration?: number; delayMs?: number } | FakeFailureStep;

/** What the fake does with one `/images/generations` request: PNGs (default: generated), or a failure. */
export type FakeImageStep = { png?: Buffer; revisedPrompt?: string; delayMs?: number } | FakeFailureStep;

/** Options of FakeLlmServer; all optional and also settable later as properties. */
export interface FakeLlmOptions {
  /** Added before every answer of every endpoint, in ms; default 0. */
  latencyMs?: number;
  /** Streaming pace in tokens per second (see countTokens) when a step sets none; default unpaced. */
  tokensPerSecond?: number;
  /** Prompts above this many tokens are refused with `context_length_exceeded` (or truncated, see FakeResponsesRequest); default unlimited. */
  contextWindowTokens?: number;
  /** Models that accept image parts; others answer 400 as OpenAI does. Default: every model. */
  visionModels?: string[];
  /**
   * Models that take `max_completion_tokens` only: a chat request with `max_tokens` answers 400
   * `unsupported_parameter` as OpenAI's o-series and gpt-5 models do. Default: none.
   */
  maxCompletionTokensModels?: string[];
  /** Token count of a text, for default usage, pacing and the window; default ceil(characters / 4) so tests do not depend on a tokenizer. */
  countTokens?: (text: string) => number;
}

/** File extensions `/audio/transcriptions` accepts, as OpenAI lists them in its error message. */
export const FAKE_AUDIO_FORMATS = ['flac', 'm4a', 'mp3', 'mp4', 'mpeg', 'mpga', 'oga', 'ogg', 'wav', 'webm'];

/** OpenAI's upload limit for `/audio/transcriptions`: 25 MB (https://platform.openai.com/docs/guides/speech-to-text). */
export const FAKE_AUDIO_MAX_BYTES = 25 * 1024 * 1024;
