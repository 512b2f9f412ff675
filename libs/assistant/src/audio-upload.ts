import { spawn } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** The provider's upload limit of `/audio/transcriptions`: 25 MB (https://platform.openai.com/docs/guides/speech-to-text). */
export const PROVIDER_AUDIO_MAX_BYTES = 25 * 1024 * 1024;

/** ffmpeg from the system (Debian's `ffmpeg` package); never downloaded at install time. */
export const DEFAULT_FFMPEG_PATH = '/usr/bin/ffmpeg';

/** Bit rate of audio Kraken re-encodes (mono Opus), in bits per second: speech stays clear, files stay small. */
const OPUS_BITS_PER_SECOND = 32_000;

/** MIME types (parameters stripped) whose container `/audio/transcriptions` accepts as is, with the extension to name them by. */
const ACCEPTED_CONTAINERS: Record<string, string> = {
  'audio/ogg': 'ogg',
  'audio/opus': 'ogg',
  'audio/mpeg': 'mp3',
  'audio/mp3': 'mp3',
  'audio/mp4': 'm4a',
  'audio/x-m4a': 'm4a',
  'audio/m4a': 'm4a',
  'audio/wav': 'wav',
  'audio/x-wav': 'wav',
  'audio/wave': 'wav',
  'audio/flac': 'flac',
  'audio/x-flac': 'flac',
  'audio/webm': 'webm',
};

/** One file to upload to `/audio/transcriptions`. */
export interface AudioUpload {
  data: Buffer;
  /** e.g. `audio.ogg`: the extension tells the provider the container. */
  fileName: string;
}

/** Options of audioUploads. */
export interface AudioUploadOptions {
  /** Largest upload, in bytes; default PROVIDER_AUDIO_MAX_BYTES. */
  maxBytes?: number;
  /** Default DEFAULT_FFMPEG_PATH. */
  ffmpegPath?: string;
  /** ffmpeg is killed after this long, in ms; default 120 000. */
  timeoutMs?: number;
}

/** Thrown when ffmpeg could not read or convert the audio (a corrupt or unknown file), or ran too long. */
export class AudioConversionError extends Error {
  override name = 'AudioConversionError';
}

/**
 * The extension `/audio/transcriptions` knows a file of `mimeType` by, or undefined when its container
 * must be converted first. A voice note without a type is OGG/Opus (https://core.telegram.org/bots/api#voice).
 */
export function acceptedExtension(kind: 'voice' | 'audio' | 'video_note', mimeType: string | undefined): string | undefined {
  if (kind === 'video_note') return undefined; // MPEG-4 video: only its sound is sent, re-encoded.
  const type = mimeType?.split(';')[0].trim().toLowerCase();
  if (!type) return kind === 'voice' ? 'ogg' : undefined;
  return ACCEPTED_CONTAINERS[type];
}

/**
 * Turns a voice note, audio file or video note into the files to upload: the bytes unchanged when
 * their container is accepted (acceptedExtension) and they fit `maxBytes`; otherwise the sound
 * re-encoded by ffmpeg to mono OGG/Opus at a constant 32 kbit/s, split with ffmpeg's segment muxer into pieces
 * under `maxBytes` when one file would not fit. ffmpeg runs from the system with arguments (no
 * shell) on files in a fresh temporary directory, removed afterwards.
 * @returns the uploads in playing order
 * @throws AudioConversionError when ffmpeg fails, times out or a piece is still over `maxBytes`
 */
export async function audioUploads(data: Buffer, kind: 'voice' | 'audio' | 'video_note', mimeType: string | undefined, options: AudioUploadOptions = {}): Promise<AudioUpload[]> {
  const maxBytes = options.maxBytes ?? PROVIDER_AUDIO_MAX_BYTES;
  const extension = acceptedExtension(kind, mimeType);
  if (extension && data.length <= maxBytes) return [{ data, fileName: `audio.${extension}` }];
  const dir = await mkdtemp(join(tmpdir(), 'kraken-audio-'));
  try {
    const input = join(dir, 'input');
    await writeFile(input, data);
    // Constant bit rate (`-vbr off`): the size of a piece follows from its length.
    const encode = ['-vn', '-ac', '1', '-c:a', 'libopus', '-b:a', String(OPUS_BITS_PER_SECOND), '-vbr', 'off'];
    const run = (args: string[]) => runFfmpeg(options.ffmpegPath ?? DEFAULT_FFMPEG_PATH, ['-hide_banner', '-loglevel', 'error', '-nostdin', '-y', '-i', input, ...encode, ...args], options.timeoutMs ?? 120_000);
    await run(['-f', 'ogg', join(dir, 'whole.ogg')]);
    const whole = await readFile(join(dir, 'whole.ogg'));
    if (whole.length <= maxBytes) return [{ data: whole, fileName: 'audio.ogg' }];
    // Pieces of 80 % of what fits at the bit rate leave room for the OGG pages and headers.
    const seconds = Math.max(1, Math.floor(((maxBytes * 8) / OPUS_BITS_PER_SECOND) * 0.8));
    await run(['-f', 'segment', '-segment_time', String(seconds), '-reset_timestamps', '1', '-segment_format', 'ogg', join(dir, 'part%04d.ogg')]);
    const names = (await readdir(dir)).filter((name) => name.startsWith('part')).sort();
    const parts = await Promise.all(names.map(async (name, i) => ({ data: await readFile(join(dir, name)), fileName: `audio-${i + 1}.ogg` })));
    if (parts.length === 0 || parts.some((part) => part.data.length > maxBytes)) throw new AudioConversionError(`audio could not be split into pieces of at most ${maxBytes} bytes`);
    return parts;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** Runs ffmpeg with `args` (no shell); rejects with its last stderr lines on a non-zero exit, a spawn error or the timeout. */
function runFfmpeg(path: string, args: string[], timeoutMs: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(path, args, { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => {
      stderr = (stderr + chunk.toString('utf8')).slice(-2000);
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(new AudioConversionError(`ffmpeg could not start: ${error.message}`));
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      if (code === 0) resolve();
      else reject(new AudioConversionError(signal ? `ffmpeg stopped by ${signal} (timeout ${timeoutMs} ms)` : `ffmpeg exited with ${code}: ${stderr.trim().slice(-500)}`));
    });
  });
}
