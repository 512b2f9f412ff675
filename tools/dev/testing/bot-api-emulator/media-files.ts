import { createHash } from 'node:crypto';
import type { UploadedFile } from './emulator-types';

/** A file reference as sent: an uploaded part, or a file_id / HTTP URL string. */
export type MediaSource = UploadedFile | string;

/** file_id and file_unique_id (https://core.telegram.org/bots/api#photosize). */
export interface FileIds {
  file_id: string;
  file_unique_id: string;
  file_size?: number;
}

/**
 * Stable ids for a file: derived from the bytes of an upload (same bytes → same ids, like
 * Telegram's file_unique_id) or from a URL; a string that is not a URL is taken as an existing
 * file_id and returned as is.
 */
export function fileIds(source: MediaSource): FileIds {
  if (typeof source === 'string' && !/^https?:\/\//i.test(source)) {
    return { file_id: source, file_unique_id: `U${digest(source).slice(0, 15)}` };
  }
  const hex = digest(typeof source === 'string' ? source : source.data);
  const ids: FileIds = { file_id: `EMU${hex.slice(0, 40)}`, file_unique_id: `U${hex.slice(0, 15)}` };
  if (typeof source !== 'string') ids.file_size = source.data.length;
  return ids;
}

/** Pixel size of PNG, GIF and JPEG bytes; undefined for other data. */
export function imageSize(data: Buffer): { width: number; height: number } | undefined {
  if (data.length >= 24 && data.readUInt32BE(0) === 0x89504e47) {
    return { width: data.readUInt32BE(16), height: data.readUInt32BE(20) };
  }
  if (data.length >= 10 && data.toString('latin1', 0, 3) === 'GIF') {
    return { width: data.readUInt16LE(6), height: data.readUInt16LE(8) };
  }
  if (data.length >= 4 && data[0] === 0xff && data[1] === 0xd8) {
    let i = 2;
    while (i + 9 < data.length && data[i] === 0xff) {
      const marker = data[i + 1];
      const length = data.readUInt16BE(i + 2);
      const isFrameHeader = marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc;
      if (isFrameHeader) return { width: data.readUInt16BE(i + 7), height: data.readUInt16BE(i + 5) };
      i += 2 + length;
    }
  }
  return undefined;
}

/**
 * PhotoSize list for a sent photo, as Telegram returns it: a thumbnail (longest side 90 px) and
 * the full size (from the image header, 1280×720 when unknown).
 */
export function photoSizes(source: MediaSource): Array<FileIds & { width: number; height: number }> {
  const ids = fileIds(source);
  const size = (typeof source !== 'string' && imageSize(source.data)) || { width: 1280, height: 720 };
  const scale = 90 / Math.max(size.width, size.height, 1);
  const thumb = {
    file_id: `${ids.file_id}_s`,
    file_unique_id: `${ids.file_unique_id}s`,
    width: Math.max(1, Math.round(size.width * Math.min(1, scale))),
    height: Math.max(1, Math.round(size.height * Math.min(1, scale))),
  };
  return [thumb, { ...ids, ...size }];
}

/** file_name/mime_type for documents, from the upload (or the URL's last path segment). */
export function fileDescription(source: MediaSource): { file_name?: string; mime_type?: string } {
  if (typeof source === 'string') {
    const name = /^https?:\/\//i.test(source) ? source.split(/[?#]/)[0].split('/').pop() : undefined;
    return name ? { file_name: name } : {};
  }
  return { file_name: source.filename, mime_type: source.mimeType };
}

function digest(data: string | Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}
