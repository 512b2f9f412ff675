import type { ServerResponse } from 'node:http';
import type { Response, ResponseOutputMessage, ResponseStreamEvent, ResponseUsage } from 'openai/resources/responses/responses';
import type { TextUsage, PacingSettings } from './chat-completions';
import type { FakeContextMessage, FakeResponsesRequest } from './fake-llm-types';
import { openEventStream, sendJson } from './http-io';
import { type FakeTextStep, emitPaced } from './text-pacing';

/** A stored response (`store` not false): its conversation, answer included, for `previous_response_id`. */
export interface StoredResponse {
  /** Inputs and answers of the chain up to and including this response, without instructions. */
  conversation: FakeContextMessage[];
}

/** A Responses API `usage` (https://platform.openai.com/docs/api-reference/responses/object#responses/object-usage). */
function responseUsage(usage: TextUsage): ResponseUsage {
  return {
    input_tokens: usage.prompt_tokens,
    input_tokens_details: { cached_tokens: usage.cached_tokens ?? 0 },
    output_tokens: usage.completion_tokens,
    output_tokens_details: { reasoning_tokens: 0 },
    total_tokens: usage.prompt_tokens + usage.completion_tokens,
  };
}

/** The Response object for a request, `in_progress` without output or `completed` with the text. */
function responseObject(request: FakeResponsesRequest, id: string, text: string | undefined, usage?: TextUsage): Response {
  const body = request.body;
  const message: ResponseOutputMessage[] =
    text === undefined
      ? []
      : [{ id: `msg_fake_${request.seq}`, type: 'message', role: 'assistant', status: 'completed', content: [{ type: 'output_text', text, annotations: [] }] }];
  return {
    id,
    object: 'response',
    created_at: Math.floor(request.at / 1000),
    status: text === undefined ? 'in_progress' : 'completed',
    model: body.model ?? 'unknown',
    output: message,
    output_text: text ?? '',
    error: null,
    incomplete_details: null,
    instructions: body.instructions ?? null,
    metadata: body.metadata ?? null,
    parallel_tool_calls: body.parallel_tool_calls ?? true,
    temperature: body.temperature ?? 1,
    top_p: body.top_p ?? 1,
    tool_choice: body.tool_choice ?? 'auto',
    tools: body.tools ?? [],
    max_output_tokens: body.max_output_tokens ?? null,
    previous_response_id: body.previous_response_id ?? null,
    store: body.store ?? true,
    truncation: body.truncation ?? 'disabled',
    ...(usage ? { usage: responseUsage(usage) } : {}),
  } as Response;
}

/** Answers a non-streamed `/responses` call. */
export function sendResponse(res: ServerResponse, request: FakeResponsesRequest, id: string, step: FakeTextStep, usage: TextUsage): void {
  sendJson(res, 200, responseObject(request, id, step.text, usage));
}

/**
 * Streams a `/responses` call as OpenAI does (https://platform.openai.com/docs/api-reference/responses-streaming):
 * `response.created`, `response.in_progress`, `response.output_item.added`, `response.content_part.added`,
 * `response.output_text.delta` per piece (paced by emitPaced), `response.output_text.done`,
 * `response.content_part.done`, `response.output_item.done`, `response.completed` (with usage); each
 * as `event: <type>` + `data: <json>` with an increasing `sequence_number`.
 *
 * @returns true when the whole answer was sent (not cut, stalled or abandoned by the client).
 */
export async function streamResponse(
  res: ServerResponse,
  request: FakeResponsesRequest,
  id: string,
  step: FakeTextStep,
  usage: TextUsage,
  pacing: PacingSettings,
): Promise<boolean> {
  if (res.destroyed) return false;
  const write = openEventStream(res);
  let sequence = 0;
  const event = (data: Record<string, unknown> & { type: ResponseStreamEvent['type'] }) => write({ ...data, sequence_number: sequence++ }, data.type);
  const itemId = `msg_fake_${request.seq}`;
  const where = { item_id: itemId, output_index: 0, content_index: 0 };
  const started = responseObject(request, id, undefined);
  event({ type: 'response.created', response: started });
  event({ type: 'response.in_progress', response: started });
  event({ type: 'response.output_item.added', output_index: 0, item: { id: itemId, type: 'message', role: 'assistant', status: 'in_progress', content: [] } });
  event({ type: 'response.content_part.added', ...where, part: { type: 'output_text', text: '', annotations: [] } });
  const end = await emitPaced(res, step, pacing.tokensPerSecond, pacing.countTokens, (delta) =>
    event({ type: 'response.output_text.delta', ...where, delta, logprobs: [] }),
  );
  if (end !== 'done') return false;
  const done = responseObject(request, id, step.text, usage);
  event({ type: 'response.output_text.done', ...where, text: step.text, logprobs: [] });
  event({ type: 'response.content_part.done', ...where, part: { type: 'output_text', text: step.text, annotations: [] } });
  event({ type: 'response.output_item.done', output_index: 0, item: done.output[0] });
  event({ type: 'response.completed', response: done });
  res.end();
  return true;
}
