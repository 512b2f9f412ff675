import { oggOpusDuration } from '../audio-duration';
import { badRequest } from './bot-api-error';
import { type FileIds, fileIds, imageSize, photoSizes } from './media-files';

/** Largest file getFile hands out: "bots can download files of up to 20MB in size" (https://core.telegram.org/bots/api#getfile). */
export const GET_FILE_MAX_BYTES = 20 * 1024 * 1024;

/** Kinds of files a user can send, each a Message field (https://core.telegram.org/bots/api#message). */
export type UserMediaKind = 'document' | 'photo' | 'voice' | 'audio' | 'video' | 'video_note' | 'animation';

/** Options of BotApiEmulator.addMedia; all optional. */
export interface UserMediaOptions {
  /** Original name (documents, audio, video, animation); default `file`. */
  fileName?: string;
  /** MIME type; default by kind (voice `audio/ogg`, document `application/octet-stream`, …). */
  mimeType?: string;
  /**
   * Size reported in the message and by getFile, in bytes; default the data's length. A size above
   * 20 MB makes getFile fail with `Bad Request: file is too big` (a 21 MB voice note without 21 MB of bytes).
   */
  fileSize?: number;
  /** Seconds (voice, audio, video, video notes, animations); voice default: read from OGG/Opus bytes, else 1. */
  duration?: number;
}

/** One stored file: its bytes, ids, download path and the size Telegram reports. */
export interface StoredFile extends FileIds {
  file_size: number;
  file_path: string;
  data: Buffer;
}

/** One request to `/file/bot<token>/<file_path>`. */
export interface FileDownload {
  path: string;
  /** Arrival time, ms since the epoch. */
  at: number;
  /** 200, or 401/404 as answered. */
  status: number;
}

/** Telegram's download folders and default extensions per kind (as seen in real `file_path`s, e.g. `voice/file_12.oga`). */
const FOLDERS: Record<UserMediaKind, { folder: string; extension: string; mimeType: string }> = {
  document: { folder: 'documents', extension: '', mimeType: 'application/octet-stream' },
  photo: { folder: 'photos', extension: 'jpg', mimeType: 'image/jpeg' },
  voice: { folder: 'voice', extension: 'oga', mimeType: 'audio/ogg' },
  audio: { folder: 'music', extension: 'mp3', mimeType: 'audio/mpeg' },
  video: { folder: 'videos', extension: 'mp4', mimeType: 'video/mp4' },
  video_note: { folder: 'video_notes', extension: 'mp4', mimeType: 'video/mp4' },
  animation: { folder: 'animations', extension: 'mp4', mimeType: 'video/mp4' },
};

/**
 * Files on the emulated Telegram servers: what users "sent" (addMedia/addFile) and what the bot
 * uploaded (sendPhoto, sendDocument … with a multipart file), by file_id. getFile answers from here
 * and `/file/bot<token>/<file_path>` serves the bytes; every download is logged.
 */
export class FileStore {
  private readonly byId = new Map<string, StoredFile>();
  private readonly log: FileDownload[] = [];
  private counter = 0;

  /**
   * Stores `data` as a file of `kind` under `ids` (same bytes → same ids).
   *
   * @returns the stored file (its `file_path` like Telegram's `voice/file_3.oga`).
   */
  put(ids: FileIds, data: Buffer, kind: UserMediaKind, fileName?: string, fileSize = data.length): StoredFile {
    const existing = this.byId.get(ids.file_id);
    if (existing) return existing;
    const layout = FOLDERS[kind];
    const extension = /\.([A-Za-z0-9]{1,8})$/.exec(fileName ?? '')?.[1] ?? layout.extension;
    const file: StoredFile = { ...ids, file_size: fileSize, data, file_path: `${layout.folder}/file_${this.counter++}${extension ? `.${extension}` : ''}` };
    this.byId.set(ids.file_id, file);
    return file;
  }

  /**
   * The File object of getFile (https://core.telegram.org/bots/api#file).
   *
   * @throws BotApiError 400 `invalid file_id` for unknown ids, `file is too big` above 20 MB.
   */
  getFile(fileId: string): { file_id: string; file_unique_id: string; file_size: number; file_path: string } {
    const file = this.byId.get(fileId);
    if (!file) throw badRequest('invalid file_id');
    if (file.file_size > GET_FILE_MAX_BYTES) throw badRequest('file is too big');
    return { file_id: file.file_id, file_unique_id: file.file_unique_id, file_size: file.file_size, file_path: file.file_path };
  }

  /** The bytes behind a `file_path`, or undefined. */
  byPath(path: string): Buffer | undefined {
    for (const file of this.byId.values()) if (file.file_path === path) return file.data;
    return undefined;
  }

  /** Logs one download attempt. */
  recordDownload(download: FileDownload): void {
    this.log.push(download);
  }

  /** Download attempts in order. */
  downloads(): FileDownload[] {
    return [...this.log];
  }

  /** Forgets files and downloads. */
  clear(): void {
    this.byId.clear();
    this.log.length = 0;
  }

  /**
   * Stores a file a user sends and returns the Message field(s) carrying it, ready to spread into a
   * test update's `message`: `{ voice: Voice }`, `{ photo: PhotoSize[] }` (thumbnail and full size,
   * both downloadable, same bytes), `{ document: Document }`, `{ audio }`, `{ video }`,
   * `{ video_note }`, `{ animation, document }`.
   *
   * @throws Error for an unknown kind.
   */
  addMedia(kind: UserMediaKind, data: Buffer, options: UserMediaOptions = {}): Record<string, unknown> {
    const layout = FOLDERS[kind];
    if (!layout) throw new Error(`unknown media kind "${kind}" (one of ${Object.keys(FOLDERS).join(', ')})`);
    const mimeType = options.mimeType ?? layout.mimeType;
    const fileName = options.fileName ?? 'file';
    const source = { data, filename: fileName, mimeType };
    if (kind === 'photo') {
      const sizes = photoSizes(source).map((size) => {
        const stored = this.put(size, data, 'photo', undefined, options.fileSize);
        return { ...size, file_size: stored.file_size };
      });
      return { photo: sizes };
    }
    const stored = this.put(fileIds(source), data, kind, fileName, options.fileSize);
    const ids = { file_id: stored.file_id, file_unique_id: stored.file_unique_id, file_size: stored.file_size };
    const oggSeconds = kind === 'voice' ? oggOpusDuration(data) : undefined;
    const duration = options.duration ?? (oggSeconds !== undefined ? Math.max(1, Math.round(oggSeconds)) : 1);
    const size = imageSize(data) ?? { width: 640, height: 640 };
    switch (kind) {
      case 'voice':
        return { voice: { ...ids, duration, mime_type: mimeType } };
      case 'audio':
        return { audio: { ...ids, duration, file_name: fileName, mime_type: mimeType } };
      case 'video':
        return { video: { ...ids, ...size, duration, file_name: fileName, mime_type: mimeType } };
      case 'video_note':
        return { video_note: { ...ids, length: size.width, duration } };
      case 'animation':
        return { animation: { ...ids, ...size, duration, file_name: fileName, mime_type: mimeType }, document: { ...ids, file_name: fileName, mime_type: mimeType } };
      default:
        return { document: { ...ids, file_name: fileName, mime_type: mimeType } };
    }
  }
}
