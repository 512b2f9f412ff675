import type { ServerResponse } from 'node:http';
import type { FakeLlmStep } from './fake-llm-types';
import { sleep } from './http-io';

/** A scripted text answer. */
export type FakeTextStep = Extract<FakeLlmStep, { text: string }>;

/** How a paced stream ended: all pieces sent, connection cut, stream stalled, or client gone. */
export type StreamEnd = 'done' | 'cut' | 'stalled' | 'gone';

/**
 * Writes a step's text piece by piece through `emit`: `step.chunks` or word by word; `chunkDelayMs`
 * before each piece, else paced so that piece i leaves when the tokens sent so far (countTokens per
 * piece, at least 1) reach `tokensPerSecond`; stops early for `cutAfterChunks` (socket ended: what was
 * written still arrives) and `stallAfterChunks` (connection left open, nothing more written).
 */
export async function emitPaced(
  res: ServerResponse,
  step: FakeTextStep,
  tokensPerSecond: number | undefined,
  countTokens: (text: string) => number,
  emit: (piece: string) => void,
): Promise<StreamEnd> {
  const pieces = step.chunks ?? step.text.match(/\S+\s*|\s+/g) ?? [];
  const rate = step.tokensPerSecond ?? tokensPerSecond;
  const started = Date.now();
  let tokens = 0;
  for (const [i, piece] of pieces.entries()) {
    if (step.cutAfterChunks !== undefined && i >= step.cutAfterChunks) {
      res.socket?.end();
      return 'cut';
    }
    if (step.stallAfterChunks !== undefined && i >= step.stallAfterChunks) return 'stalled';
    if (step.chunkDelayMs) await sleep(step.chunkDelayMs);
    else if (rate) await sleep(started + (tokens * 1000) / rate - Date.now());
    tokens += Math.max(1, countTokens(piece));
    if (res.destroyed) return 'gone';
    emit(piece);
  }
  return 'done';
}
