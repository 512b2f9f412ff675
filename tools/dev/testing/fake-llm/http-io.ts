import type { IncomingMessage, ServerResponse } from 'node:http';

/** Collects a request body. */
export async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** Sends a JSON answer unless the client is gone. */
export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  if (res.destroyed) return;
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify(body));
}

/** Error body fields of https://platform.openai.com/docs/guides/error-codes. */
export interface OpenAiErrorFields {
  message: string;
  type?: string;
  param?: string | null;
  code?: string | null;
}

/** Sends `{ error: { message, type, param, code } }` the way OpenAI does. */
export function sendError(res: ServerResponse, status: number, error: OpenAiErrorFields, headers: Record<string, string> = {}): void {
  sendJson(res, status, { error: { type: 'invalid_request_error', param: null, code: null, ...error } }, headers);
}

/** Starts a server-sent-events answer; returns the writer of one event (`event:` line only when named). */
export function openEventStream(res: ServerResponse): (data: unknown, event?: string) => void {
  res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive' });
  return (data, event) => {
    if (res.destroyed) return;
    res.write(`${event ? `event: ${event}\n` : ''}data: ${typeof data === 'string' ? data : JSON.stringify(data)}\n\n`);
  };
}

/** Resolves after `ms` (at once for 0 or less). */
export function sleep(ms: number): Promise<void> {
  return ms > 0 ? new Promise((resolve) => setTimeout(resolve, ms)) : Promise.resolve();
}
