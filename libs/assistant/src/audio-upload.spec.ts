import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { acceptedExtension, AudioConversionError, audioUploads, DEFAULT_FFMPEG_PATH } from './audio-upload';

const VOICE = readFileSync(join(__dirname, '..', '..', '..', 'test', 'fixtures', 'assistant', 'voice-ru.ogg'));

/** Seconds of an audio file, read back with ffprobe. */
function duration(data: Buffer): number {
  const dir = mkdtempSync(join(tmpdir(), 'probe-'));
  try {
    writeFileSync(join(dir, 'a.ogg'), data);
    return Number(execFileSync('/usr/bin/ffprobe', ['-v', 'error', '-show_entries', 'format=duration', '-of', 'csv=p=0', join(dir, 'a.ogg')]).toString().trim());
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** `seconds` of a 440 Hz tone in `format` (e.g. `matroska`, `mp4`), made with the real ffmpeg. */
function tone(seconds: number, format: string, codec: string): Buffer {
  return execFileSync(DEFAULT_FFMPEG_PATH, ['-v', 'error', '-f', 'lavfi', '-i', `sine=frequency=440:duration=${seconds}`, '-c:a', codec, '-f', format, 'pipe:1'], { maxBuffer: 64 * 1024 * 1024 });
}

const krakenTemps = () => readdirSync(tmpdir()).filter((name) => name.startsWith('kraken-audio-'));

describe('audioUploads (real ffmpeg)', () => {
  test('a voice note in OGG/Opus under the limit is sent byte for byte', async () => {
    const uploads = await audioUploads(VOICE, 'voice', 'audio/ogg');
    expect(uploads).toHaveLength(1);
    expect(uploads[0].fileName).toBe('audio.ogg');
    expect(uploads[0].data.equals(VOICE)).toBe(true);
  });

  test('a container the provider does not accept (Matroska) is converted to OGG/Opus of the same length', async () => {
    const before = krakenTemps().length;
    const mka = tone(3, 'matroska', 'pcm_s16le');
    expect(acceptedExtension('audio', 'audio/x-matroska')).toBeUndefined();
    const uploads = await audioUploads(mka, 'audio', 'audio/x-matroska');
    expect(uploads).toHaveLength(1);
    expect(uploads[0].fileName).toBe('audio.ogg');
    expect(uploads[0].data.subarray(0, 4).toString('latin1')).toBe('OggS');
    expect(duration(uploads[0].data)).toBeCloseTo(3, 0);
    expect(krakenTemps().length).toBe(before);
  });

  test('a video note keeps only its sound', async () => {
    const mp4 = execFileSync(DEFAULT_FFMPEG_PATH, ['-v', 'error', '-f', 'lavfi', '-i', 'testsrc=size=64x64:rate=10:duration=2', '-f', 'lavfi', '-i', 'sine=duration=2', '-c:v', 'mpeg4', '-c:a', 'aac', '-shortest', '-movflags', 'frag_keyframe+empty_moov', '-f', 'mp4', 'pipe:1']);
    const [upload] = await audioUploads(mp4, 'video_note', undefined);
    expect(upload.fileName).toBe('audio.ogg');
    const streams = execFileSync('/usr/bin/ffprobe', ['-v', 'error', '-show_entries', 'stream=codec_type', '-of', 'csv=p=0', '-i', 'pipe:0'], { input: upload.data }).toString().trim();
    expect(streams).toBe('audio');
  });

  test('audio over the limit is split into pieces under it that together keep the whole length', async () => {
    const wav = tone(30, 'wav', 'pcm_s16le');
    const maxBytes = 40_000;
    expect(wav.length).toBeGreaterThan(maxBytes);
    const uploads = await audioUploads(wav, 'audio', 'audio/wav', { maxBytes });
    expect(uploads.length).toBeGreaterThan(1);
    expect(uploads.map((u) => u.fileName)).toEqual(uploads.map((_, i) => `audio-${i + 1}.ogg`));
    for (const upload of uploads) expect(upload.data.length).toBeLessThanOrEqual(maxBytes);
    const total = uploads.reduce((sum, upload) => sum + duration(upload.data), 0);
    expect(total).toBeGreaterThan(29);
    expect(total).toBeLessThan(31);
  });

  test('a corrupt file ffmpeg cannot read is an AudioConversionError, and the temporary files are gone', async () => {
    const before = krakenTemps().length;
    await expect(audioUploads(Buffer.from('not audio at all'.repeat(100)), 'audio', 'audio/x-unknown')).rejects.toBeInstanceOf(AudioConversionError);
    expect(krakenTemps().length).toBe(before);
  });
});
