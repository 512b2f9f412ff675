import type { IncomingMessage, ServerResponse } from 'node:http';
import busboy from 'busboy';
import type { TranscriptionVerbose } from 'openai/resources/audio/transcriptions';
import { oggOpusDuration, wavDuration } from '../audio-duration';
import { FAKE_AUDIO_FORMATS, FAKE_AUDIO_MAX_BYTES, type FakeTranscriptionRequest, type FakeUploadedFile } from './fake-llm-types';
import { sendError, sendJson } from './http-io';

/** Full English language names verbose_json reports, for the ISO-639-1 codes tests are likely to send. */
const LANGUAGE_NAMES: Record<string, string> = { ru: 'russian', en: 'english', uk: 'ukrainian', de: 'german', fr: 'french', es: 'spanish', ar: 'arabic' };

/** A multipart body: text fields, the `file` part, and whether the file went over the limit. */
export interface TranscriptionUpload {
  fields: Record<string, string>;
  file?: FakeUploadedFile;
  tooLarge: boolean;
}

/** Reads a multipart/form-data `/audio/transcriptions` body with busboy; bytes past `maxBytes` are not kept. */
export function readTranscriptionUpload(req: IncomingMessage, maxBytes = FAKE_AUDIO_MAX_BYTES): Promise<TranscriptionUpload> {
  return new Promise((resolve, reject) => {
    const upload: TranscriptionUpload = { fields: {}, tooLarge: false };
    const parser = busboy({ headers: req.headers, limits: { fileSize: maxBytes } });
    const pending: Promise<void>[] = [];
    parser.on('field', (name, value) => {
      upload.fields[name] = value;
    });
    parser.on('file', (name, stream, info) => {
      const chunks: Buffer[] = [];
      pending.push(
        new Promise((done) => {
          stream.on('data', (chunk: Buffer) => chunks.push(chunk));
          stream.on('limit', () => {
            upload.tooLarge = true;
          });
          stream.on('end', () => {
            if (name === 'file') upload.file = { filename: info.filename ?? 'file', mimeType: info.mimeType, data: Buffer.concat(chunks) };
            done();
          });
        }),
      );
    });
    parser.on('error', reject);
    parser.on('close', () => void Promise.all(pending).then(() => resolve(upload)));
    req.pipe(parser);
  });
}

/**
 * Checks an upload the way OpenAI does before transcribing: a `file` part and a `model` field are
 * required, the file name's extension must be one of FAKE_AUDIO_FORMATS, at most 25 MB, and an
 * OGG (`.ogg`/`.oga`) or WAV file must parse.
 *
 * @returns the audio's duration in seconds (undefined for formats the fake cannot measure), or
 *   false when an error answer was sent.
 */
export function checkTranscriptionUpload(res: ServerResponse, upload: TranscriptionUpload): number | undefined | false {
  if (upload.tooLarge) {
    sendError(res, 413, { message: `Maximum content size limit (${FAKE_AUDIO_MAX_BYTES}) exceeded`, type: 'server_error' });
    return false;
  }
  if (!upload.file) {
    sendError(res, 400, { message: "you must provide a 'file' parameter", param: 'file' });
    return false;
  }
  if (!upload.fields.model) {
    sendError(res, 400, { message: "you must provide a model parameter", param: 'model' });
    return false;
  }
  const extension = /\.([a-z0-9]+)$/i.exec(upload.file.filename)?.[1]?.toLowerCase() ?? '';
  if (!FAKE_AUDIO_FORMATS.includes(extension)) {
    const list = FAKE_AUDIO_FORMATS.map((format) => `'${format}'`).join(', ');
    sendError(res, 400, { message: `Invalid file format. Supported formats: [${list}]`, param: 'file', code: 'invalid_value' });
    return false;
  }
  const data = upload.file.data;
  const duration = extension === 'ogg' || extension === 'oga' ? oggOpusDuration(data) : extension === 'wav' ? wavDuration(data) : undefined;
  if (duration === undefined && ['ogg', 'oga', 'wav'].includes(extension)) {
    sendError(res, 400, { message: 'Audio file might be corrupted or unsupported', param: 'file', code: 'invalid_value' });
    return false;
  }
  return duration;
}

/**
 * Answers a transcription in the requested `response_format`
 * (https://platform.openai.com/docs/api-reference/audio/createTranscription): `json` (default)
 * `{ text, usage }`, `text` as plain text, `verbose_json` with `task`, `language`, `duration`,
 * one segment and `usage`, `srt`/`vtt` as one cue. Usage is `{ type: "duration", seconds }` (whole seconds, rounded up).
 */
export function sendTranscription(
  res: ServerResponse,
  request: FakeTranscriptionRequest,
  answer: { text: string; language?: string; duration: number },
): void {
  const format = request.fields.response_format ?? 'json';
  const code = request.fields.language?.toLowerCase();
  const language = answer.language ?? (code ? (LANGUAGE_NAMES[code] ?? code) : 'english');
  const usage = { type: 'duration' as const, seconds: Math.ceil(answer.duration) };
  if (format === 'text' || format === 'srt' || format === 'vtt') {
    const end = new Date(answer.duration * 1000).toISOString().slice(11, 23);
    const body =
      format === 'text'
        ? `${answer.text}\n`
        : format === 'srt'
          ? `1\n00:00:00,000 --> ${end.replace('.', ',')}\n${answer.text}\n\n`
          : `WEBVTT\n\n00:00:00.000 --> ${end}\n${answer.text}\n\n`;
    res.writeHead(200, { 'content-type': 'text/plain; charset=utf-8' });
    res.end(body);
    return;
  }
  if (format !== 'verbose_json') return sendJson(res, 200, { text: answer.text, usage });
  const verbose: TranscriptionVerbose = {
    task: 'transcribe',
    language,
    duration: answer.duration,
    text: answer.text,
    segments: [
      { id: 0, seek: 0, start: 0, end: answer.duration, text: answer.text, tokens: [], temperature: 0, avg_logprob: -0.2, compression_ratio: 1, no_speech_prob: 0.01 },
    ],
    usage,
  } as TranscriptionVerbose;
  sendJson(res, 200, verbose);
}
