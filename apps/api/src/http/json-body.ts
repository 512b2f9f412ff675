import type { INestApplication } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import type { NextFunction, Request, Response } from 'express';
import { errorBody } from './error-body';

/** Methods whose body the API reads. */
const BODY_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** True when the request carries a body (a non-zero Content-Length, or chunked transfer). */
function hasBody(req: Request): boolean {
  const length = req.headers['content-length'];
  return req.headers['transfer-encoding'] !== undefined || (length !== undefined && length !== '0');
}

/** Refuses a request body that is not JSON with 415 (before anything parses it). */
function requireJson(req: Request, res: Response, next: NextFunction): void {
  if (BODY_METHODS.has(req.method) && hasBody(req) && !req.is('application/json')) {
    res.status(415).json(errorBody(415, 'expected a JSON body (Content-Type: application/json)'));
    return;
  }
  next();
}

/** What body-parser's errors carry (https://github.com/expressjs/body-parser#errors). */
interface BodyParserError {
  type?: string;
  status?: number;
}

/**
 * Answers body-parser's errors in the API's error shape, without its message (which may quote the
 * body) or a stack: 413 over the limit, 400 for malformed JSON, 415 for an unsupported charset or
 * content encoding. Other errors go on to Nest.
 */
function bodyErrors(error: unknown, _req: Request, res: Response, next: NextFunction): void {
  const type = (error as BodyParserError | undefined)?.type;
  const messages: Record<string, [number, string]> = {
    'entity.too.large': [413, 'the request body is too large'],
    'entity.parse.failed': [400, 'the request body is not valid JSON'],
    'charset.unsupported': [415, 'unsupported charset: send UTF-8 JSON'],
    'encoding.unsupported': [415, 'unsupported content encoding'],
    'request.aborted': [400, 'the request was aborted'],
    'request.size.invalid': [400, 'the request body length does not match Content-Length'],
  };
  const known = type ? messages[type] : undefined;
  if (!known) return next(error);
  res.status(known[0]).json(errorBody(known[0], known[1]));
}

/**
 * JSON bodies for the API: non-JSON bodies get 415, bodies over `limitBytes` 413, malformed JSON
 * 400, always in the API's error shape. Call before the routes are registered (i.e. before init/listen).
 */
export function useJsonBodies(app: INestApplication, limitBytes: number): void {
  const express = app as NestExpressApplication;
  express.use(requireJson);
  express.useBodyParser('json', { limit: limitBytes, strict: true });
  express.use(bodyErrors);
}
