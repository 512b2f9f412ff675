import type { IncomingHttpHeaders } from 'node:http';
import type { Readable } from 'node:stream';
import busboy from 'busboy';
import { BotApiError, badRequest } from './bot-api-error';
import type { UploadedFile } from './emulator-types';

/**
 * Raw parameters of one Bot API request before coercion. Telegram accepts four encodings
 * (https://core.telegram.org/bots/api#making-requests): URL query string,
 * application/x-www-form-urlencoded, application/json and multipart/form-data (the only one
 * that carries file uploads). Query and body parameters are merged, body last.
 */
export interface RawBotApiRequest {
  /** Strings for query/form/multipart values; any JSON value for application/json bodies. */
  fields: Record<string, unknown>;
  files: Record<string, UploadedFile>;
}

/** Upload limits: Telegram allows 50 MB per uploaded file (https://core.telegram.org/bots/api#sending-files). */
const MAX_FILE_BYTES = 50 * 1024 * 1024;
const MAX_TEXT_BODY_BYTES = 10 * 1024 * 1024;

/**
 * Reads a request (or a webhook response, which Telegram also accepts as a method call) into
 * fields and files.
 *
 * @param query the URL's search params (already parsed), merged under the body fields.
 * @throws BotApiError 400 on a malformed JSON body or multipart stream, 413 on oversized bodies.
 */
export async function readBotApiRequest(
  headers: IncomingHttpHeaders,
  body: Readable,
  query?: URLSearchParams,
): Promise<RawBotApiRequest> {
  const fields: Record<string, unknown> = {};
  query?.forEach((value, key) => {
    fields[key] = value;
  });
  const contentType = (headers['content-type'] ?? '').toLowerCase();
  if (contentType.startsWith('multipart/form-data')) {
    const parsed = await readMultipart(headers, body);
    return { fields: { ...fields, ...parsed.fields }, files: parsed.files };
  }
  const text = (await readAll(body, MAX_TEXT_BODY_BYTES)).toString('utf8');
  if (text.trim() === '') return { fields, files: {} };
  if (contentType.startsWith('application/json')) {
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      throw badRequest("can't parse JSON object");
    }
    if (!json || typeof json !== 'object' || Array.isArray(json)) throw badRequest('request body must be a JSON object');
    return { fields: { ...fields, ...(json as Record<string, unknown>) }, files: {} };
  }
  // application/x-www-form-urlencoded, and what curl sends without a content type.
  new URLSearchParams(text).forEach((value, key) => {
    fields[key] = value;
  });
  return { fields, files: {} };
}

/** Collects a stream into one Buffer; rejects with 413 past `limit` bytes. */
async function readAll(body: Readable, limit: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    const buffer = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as string);
    size += buffer.length;
    if (size > limit) throw new BotApiError(413, 'Request Entity Too Large');
    chunks.push(buffer);
  }
  return Buffer.concat(chunks);
}

/** Parses multipart/form-data with busboy; file parts are buffered whole. */
function readMultipart(headers: IncomingHttpHeaders, body: Readable): Promise<RawBotApiRequest> {
  return new Promise((resolvePromise, reject) => {
    const fields: Record<string, unknown> = {};
    const files: Record<string, UploadedFile> = {};
    let parser: busboy.Busboy;
    try {
      parser = busboy({ headers, limits: { fileSize: MAX_FILE_BYTES, fieldSize: MAX_TEXT_BODY_BYTES } });
    } catch (error) {
      reject(badRequest(`can't parse multipart/form-data: ${(error as Error).message}`));
      return;
    }
    const pending: Promise<void>[] = [];
    parser.on('field', (name, value) => {
      fields[name] = value;
    });
    parser.on('file', (name, stream, info) => {
      pending.push(
        new Promise<void>((done, fail) => {
          const chunks: Buffer[] = [];
          stream.on('data', (chunk: Buffer) => chunks.push(chunk));
          stream.on('limit', () => fail(new BotApiError(413, 'Request Entity Too Large')));
          stream.on('error', fail);
          stream.on('end', () => {
            files[name] = {
              filename: info.filename ?? name,
              mimeType: info.mimeType || 'application/octet-stream',
              data: Buffer.concat(chunks),
            };
            done();
          });
        }),
      );
    });
    parser.on('error', (error: Error) => reject(badRequest(`can't parse multipart/form-data: ${error.message}`)));
    parser.on('close', () => {
      Promise.all(pending).then(() => resolvePromise({ fields, files }), reject);
    });
    body.pipe(parser);
  });
}
