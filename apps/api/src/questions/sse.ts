import type { Response } from 'express';
import type { ErrorBody } from '../http/error-body';

/** True when the client asked for server-sent events (`Accept: text/event-stream`). */
export function wantsEventStream(accept: string | undefined): boolean {
  return /(^|,)\s*text\/event-stream\s*(;|,|$)/i.test(accept ?? '');
}

/**
 * Starts a server-sent-event stream (https://html.spec.whatwg.org/multipage/server-sent-events.html):
 * 200, `text/event-stream`, no caching or proxy buffering, headers sent at once.
 */
export function startEventStream(res: Response): void {
  res.status(200);
  res.setHeader('Content-Type', 'text/event-stream; charset=utf-8');
  res.setHeader('Cache-Control', 'no-cache, no-transform');
  res.setHeader('X-Accel-Buffering', 'no');
  res.flushHeaders();
}

/** Writes one event: `event: <name>` and its JSON on one `data:` line (JSON never holds a raw newline). */
export function sendEvent(res: Response, event: 'delta' | 'done' | 'error', data: unknown): void {
  if (!res.writableEnded) res.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
}

/** Ends a started stream with an `error` event carrying the usual error body. */
export function sendSseError(res: Response, body: ErrorBody): void {
  if (res.writableEnded) return;
  if ((res.getHeader('Content-Type') as string | undefined)?.startsWith('text/event-stream')) sendEvent(res, 'error', body);
  res.end();
}
