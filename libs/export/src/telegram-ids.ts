/**
 * Identifier rules: export peer ids → Bot API ids, and the deterministic ids this library invents
 * where a Telegram Desktop export has none (invited members known only by name, files, polls).
 */
import { createHash } from 'node:crypto';

/** A parsed export peer reference (`user123`, `channel123`, `chat123`). */
export interface ExportPeer {
  kind: 'user' | 'channel' | 'chat';
  /** The bare id as written in the export (always positive). */
  bareId: number;
}

/** Offset Telegram puts in front of supergroup and channel ids in the Bot API ("-100" prefix). */
const CHANNEL_ID_OFFSET = 1_000_000_000_000;

/**
 * Parses an export peer reference.
 * @throws Error when the string is not `user<digits>`, `channel<digits>` or `chat<digits>`.
 */
export function parsePeerId(peerId: string): ExportPeer {
  const match = /^(user|channel|chat)(\d+)$/.exec(peerId);
  if (!match) throw new Error(`not an export peer id: ${JSON.stringify(peerId)}`);
  return { kind: match[1] as ExportPeer['kind'], bareId: Number(match[2]) };
}

/**
 * Bot API id of a peer: users keep their id; supergroups and channels (`channel<id>` in exports)
 * become `-100<id>`, i.e. `-(10^12 + id)`; basic groups (`chat<id>`) become `-id`. Rule from the
 * Bot API docs on chat ids ("Unique identifier for this chat", e.g. -1001234567890 for supergroups).
 */
export function botApiPeerId(peer: ExportPeer): number {
  if (peer.kind === 'user') return peer.bareId;
  if (peer.kind === 'chat') return -peer.bareId;
  return -(CHANNEL_ID_OFFSET + peer.bareId);
}

/** First id of the range used for users invented from a name: [7·10^12, 8·10^12). */
export const SYNTHETIC_NAMED_USER_BASE = 7_000_000_000_000;
/** First id of the range used for invited members whose name is null: [8·10^12, 9·10^12). */
export const SYNTHETIC_DELETED_USER_BASE = 8_000_000_000_000;

/**
 * Deterministic user id for a member known only by display name (Telegram Desktop writes invited
 * members as names, without ids). Scheme: `7·10^12 + (first 6 bytes of SHA-256("kraken-export-user:" +
 * name), as an integer) mod 10^12`. Real user ids are far below 7·10^12 today, the result stays under
 * 2^53, and the same name always gives the same id (across chats and runs).
 */
export function syntheticUserIdFromName(name: string): number {
  const digest = createHash('sha256').update(`kraken-export-user:${name}`).digest();
  return SYNTHETIC_NAMED_USER_BASE + (digest.readUIntBE(0, 6) % 1_000_000_000_000);
}

/**
 * Deterministic user id for an invited member whose name is null (a deleted account):
 * `8·10^12 + messageId · 1000 + index in the members list` (message ids below 10^9 stay in range).
 */
export function syntheticDeletedUserId(messageId: number, index: number): number {
  return SYNTHETIC_DELETED_USER_BASE + messageId * 1000 + index;
}

/**
 * Bot API file kinds and a `file_id` prefix in the style of real ones (their first byte encodes the
 * file type: 2 photo, 3 voice, 4 video, 5 document, 8 sticker, 9 audio, 10 animation, 13 video note).
 */
const FILE_ID_PREFIX = {
  photo: 'AgACAgQAAxkBAAI',
  voice: 'AwACAgQAAxkBAAI',
  video: 'BAACAgQAAxkBAAI',
  document: 'BQACAgQAAxkBAAI',
  sticker: 'CAACAgQAAxkBAAI',
  audio: 'CQACAgQAAxkBAAI',
  animation: 'CgACAgQAAxkBAAI',
  video_note: 'DQACAgQAAxkBAAI',
} as const;

/** A Bot API file kind (the field name of the Message it appears in). */
export type FileKind = keyof typeof FILE_ID_PREFIX;

/**
 * Stable fake `file_id` / `file_unique_id` for a file of a message. Derived from SHA-256 of
 * `chatId:messageId:kind:variant` (variant distinguishes photo sizes), so re-running the conversion
 * gives the same ids. The ids look like real ones (type prefix + base64url) but cannot be downloaded.
 */
export function syntheticFileIds(
  kind: FileKind,
  chatId: number,
  messageId: number,
  variant = 0,
): { file_id: string; file_unique_id: string } {
  const digest = createHash('sha256').update(`${chatId}:${messageId}:${kind}:${variant}`).digest();
  const uniquePrefix = kind === 'photo' ? 'AQAD' : 'AgAD';
  return {
    file_id: FILE_ID_PREFIX[kind] + digest.toString('base64url'),
    file_unique_id: uniquePrefix + digest.subarray(0, 12).toString('base64url'),
  };
}

/** Stable decimal poll id (Telegram's are 64-bit decimals) from SHA-256 of `poll:chatId:messageId`. */
export function syntheticPollId(chatId: number, messageId: number): string {
  const digest = createHash('sha256').update(`poll:${chatId}:${messageId}`).digest();
  return digest.readBigUInt64BE(0).toString();
}
