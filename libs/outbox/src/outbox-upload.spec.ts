import { isOutboxUpload, outboxUpload, toTelegrafPayload } from './outbox-upload';

describe('toTelegrafPayload', () => {
  const png = outboxUpload(Buffer.from([0x89, 0x50, 0x4e, 0x47]), 'dot.png');

  it('turns top-level and InputMedia uploads into Telegraf input files', () => {
    const payload = toTelegrafPayload({
      chat_id: 1,
      photo: png,
      media: [{ type: 'photo', media: png, thumbnail: png }, { type: 'photo', media: 'file-id' }],
    });
    expect(payload.photo).toEqual({ source: Buffer.from([0x89, 0x50, 0x4e, 0x47]), filename: 'dot.png' });
    const media = payload.media as Array<Record<string, unknown>>;
    expect(media[0].media).toEqual({ source: expect.any(Buffer), filename: 'dot.png' });
    expect(media[0].thumbnail).toEqual({ source: expect.any(Buffer), filename: 'dot.png' });
    expect(media[1].media).toBe('file-id');
    expect(payload.chat_id).toBe(1);
  });

  it('recognises only complete {base64, filename} objects', () => {
    expect(isOutboxUpload(png)).toBe(true);
    expect(isOutboxUpload({ base64: 'x' })).toBe(false);
    expect(isOutboxUpload([png])).toBe(false);
  });
});
