import type { Message } from 'telegraf/types';
import { assistantAudioOf } from './assistant-audio';

const base = { message_id: 1, date: 0, chat: { id: 5, type: 'private', first_name: 'A' } };
const of = (fields: Record<string, unknown>) => assistantAudioOf({ ...base, ...fields } as unknown as Message);

describe('assistantAudioOf', () => {
  test('reads a voice note, an audio file and a video note', () => {
    expect(of({ voice: { file_id: 'v1', file_unique_id: 'u1', duration: 4, mime_type: 'audio/ogg', file_size: 12_793 } })).toEqual({
      kind: 'voice',
      fileId: 'v1',
      fileUniqueId: 'u1',
      duration: 4,
      mimeType: 'audio/ogg',
      fileSize: 12_793,
    });
    expect(of({ audio: { file_id: 'a', file_unique_id: 'b', duration: 300, mime_type: 'audio/mpeg' } })).toEqual({ kind: 'audio', fileId: 'a', fileUniqueId: 'b', duration: 300, mimeType: 'audio/mpeg' });
    expect(of({ video_note: { file_id: 'n', file_unique_id: 'm', duration: 9, length: 240 } })).toEqual({ kind: 'video_note', fileId: 'n', fileUniqueId: 'm', duration: 9 });
  });

  test('hostile values are data: wrong types are left out, oversized ids drop the audio, text messages have none', () => {
    expect(of({ voice: { file_id: 'v', file_unique_id: 'u', duration: -3, file_size: '21000000', mime_type: { evil: true } } })).toEqual({ kind: 'voice', fileId: 'v', fileUniqueId: 'u', duration: 0 });
    expect(of({ voice: { file_id: 'v', file_unique_id: 'u', duration: 1.5, file_size: Number.MAX_VALUE } })).toEqual({ kind: 'voice', fileId: 'v', fileUniqueId: 'u', duration: 0 });
    expect(of({ voice: { file_id: 'x'.repeat(10_000), file_unique_id: 'u', duration: 1 } })).toBeUndefined();
    expect(of({ voice: { file_unique_id: 'u', duration: 1 } })).toBeUndefined();
    expect(of({ text: 'hi' })).toBeUndefined();
  });
});
