import type { ServerResponse } from 'node:http';
import type { ChatCompletion, ChatCompletionChunk } from 'openai/resources/chat/completions';
import type { CompletionUsage } from 'openai/resources/completions';
import type { FakeLlmRequest } from './fake-llm-types';
import { openEventStream, sendJson } from './http-io';
import { type FakeTextStep, emitPaced } from './text-pacing';

/** Token counts of one answer. */
export interface TextUsage {
  prompt_tokens: number;
  completion_tokens: number;
  cached_tokens?: number;
}

/** Pacing settings of the server. */
export interface PacingSettings {
  tokensPerSecond?: number;
  countTokens: (text: string) => number;
}

/** A chat completion's `usage` (https://platform.openai.com/docs/api-reference/chat/object). */
function completionUsage(usage: TextUsage): CompletionUsage {
  return {
    prompt_tokens: usage.prompt_tokens,
    completion_tokens: usage.completion_tokens,
    total_tokens: usage.prompt_tokens + usage.completion_tokens,
    prompt_tokens_details: { cached_tokens: usage.cached_tokens ?? 0 },
  };
}

/** Answers a non-streamed chat completion. */
export function sendChatCompletion(res: ServerResponse, request: FakeLlmRequest, step: FakeTextStep, usage: TextUsage): void {
  const completion: ChatCompletion = {
    id: `chatcmpl-fake-${request.seq}`,
    object: 'chat.completion',
    created: Math.floor(Date.now() / 1000),
    model: request.body.model,
    choices: [{ index: 0, message: { role: 'assistant', content: step.text, refusal: null }, finish_reason: 'stop', logprobs: null }],
    usage: completionUsage(usage),
  };
  sendJson(res, 200, completion);
}

/**
 * Streams a completion as OpenAI does (https://platform.openai.com/docs/api-reference/chat-streaming):
 * `data: <chat.completion.chunk>` events (a first one with the role, then `delta.content` pieces paced
 * by emitPaced), the last carrying `finish_reason: "stop"`, a chunk with empty `choices` and the
 * `usage` when `stream_options.include_usage` is true, and `data: [DONE]`.
 */
export async function streamChatCompletion(
  res: ServerResponse,
  request: FakeLlmRequest,
  step: FakeTextStep,
  usage: TextUsage,
  pacing: PacingSettings,
): Promise<void> {
  if (res.destroyed) return;
  const event = openEventStream(res);
  const base = { id: `chatcmpl-fake-${request.seq}`, object: 'chat.completion.chunk' as const, created: Math.floor(Date.now() / 1000), model: request.body.model };
  const chunk = (delta: ChatCompletionChunk.Choice.Delta, finish: ChatCompletionChunk.Choice['finish_reason'] = null): ChatCompletionChunk => ({
    ...base,
    choices: [{ index: 0, delta, finish_reason: finish, logprobs: null }],
  });
  event(chunk({ role: 'assistant', content: '' }));
  const end = await emitPaced(res, step, pacing.tokensPerSecond, pacing.countTokens, (piece) => event(chunk({ content: piece })));
  if (end !== 'done') return;
  event(chunk({}, 'stop'));
  if (request.body.stream_options?.include_usage) event({ ...base, choices: [], usage: completionUsage(usage) } satisfies ChatCompletionChunk);
  event('[DONE]');
  res.end();
}
