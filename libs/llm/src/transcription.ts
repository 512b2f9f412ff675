/** One audio file to transcribe with LlmService.transcribe. */
export interface TranscriptionRequest {
  /** The audio bytes, in a container the provider accepts (flac, m4a, mp3, mp4, mpeg, mpga, oga, ogg, wav, webm). */
  file: Buffer;
  /** File name sent with it; its extension names the container, e.g. `voice.ogg`. */
  fileName: string;
  /** Transcription model, e.g. `whisper-1` or `gpt-4o-mini-transcribe`. */
  model: string;
  /** Price in USD per minute of audio (billed per second). */
  usdPerMinute: number;
  /** The audio's length in seconds as the sender reported it: what the budget reserves before the call. */
  expectedSeconds: number;
  chatId?: number;
  userId?: number;
  /** Usage row purpose, e.g. `assistant-voice`. */
  purpose: string;
  /** Idempotency key of the usage row and the budget reservation. */
  requestKey?: string;
  /** Per-attempt timeout in ms; default the providers' LLM_TIMEOUT_MS. */
  timeoutMs?: number;
}

/** A transcript. */
export interface TranscriptionResult {
  text: string;
  /** The language the provider detected (verbose_json reports a name such as `russian`), when it said. */
  language?: string;
  /** Seconds of audio billed: the provider's duration, else the expected one. */
  seconds: number;
  /** USD: seconds / 60 × usdPerMinute. */
  costUsd: number;
  provider: string;
  model: string;
  latencyMs: number;
}

/**
 * Thrown by LlmService.transcribe when a provider refused the audio itself (HTTP 400/413/415: a
 * corrupt file, an unsupported format, too large). No other provider is tried and nothing is billed.
 */
export class TranscriptionRejectedError extends Error {
  override name = 'TranscriptionRejectedError';

  constructor(
    readonly status: number,
    reason: string,
  ) {
    super(`the provider refused the audio (${status}): ${reason}`);
  }
}

/** USD for `seconds` of audio at `usdPerMinute`. */
export function transcriptionCostUsd(seconds: number, usdPerMinute: number): number {
  return (Math.max(0, seconds) / 60) * usdPerMinute;
}
