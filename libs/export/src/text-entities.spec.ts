import { join } from 'node:path';
import type { MessageEntity } from 'telegraf/types';
import { exportChatToUpdates, readExportFile } from '@kraken/export';
import { formattedText } from './text-entities';

const EXPORT_PATH = join(__dirname, '../../../test/fixtures/impact-group/result.json');
const user = (id: number, name: string) => ({ id, is_bot: false, first_name: name });

describe('text entities', () => {
  it('counts offsets in UTF-16 code units: real message 320 has 🙏 before its link', () => {
    const [chat] = readExportFile(EXPORT_PATH);
    const updates = exportChatToUpdates(chat);
    const update = updates.find((u) => 'message' in u && u.message.message_id === 320) as {
      message: { text: string; entities: MessageEntity[] };
    };
    const { text, entities } = update.message;
    expect(entities).toEqual([{ type: 'url', offset: 466, length: 29 }]);
    // 🙏 is one code point but two UTF-16 units: a code-point offset would be one less.
    expect([...text.slice(0, 466)].length).toBe(465);
    expect(text.slice(466, 466 + 29)).toBe('https://state-of-algeria.dev/');
  });

  it('maps every export piece type to its Bot API entity', () => {
    const { text, entities } = formattedText(
      {
        text_entities: [
          { type: 'plain', text: '💡 ' },
          { type: 'bold', text: 'b' },
          { type: 'text_link', text: 'site', href: 'https://example.org/' },
          { type: 'mention_name', text: 'Ann', user_id: 42 },
          { type: 'phone', text: '+100' },
          { type: 'custom_emoji', text: '🙂', document_id: '5368324170671202286' },
          { type: 'custom_emoji', text: '🙂' },
          { type: 'pre', text: 'x=1', language: 'python' },
          { type: 'pre', text: 'y', language: '' },
          { type: 'blockquote', text: 'q', collapsed: true },
          { type: 'link', text: '' },
          { type: 'unknown', text: '?' },
          { type: 'spoiler', text: 's' },
        ],
      },
      user,
    );
    expect(text).toBe('💡 bsiteAnn+100🙂🙂x=1yq?s');
    expect(entities).toEqual([
      { type: 'bold', offset: 3, length: 1 },
      { type: 'text_link', offset: 4, length: 4, url: 'https://example.org/' },
      { type: 'text_mention', offset: 8, length: 3, user: { id: 42, is_bot: false, first_name: 'Ann' } },
      { type: 'phone_number', offset: 11, length: 4 },
      { type: 'custom_emoji', offset: 15, length: 2, custom_emoji_id: '5368324170671202286' },
      { type: 'pre', offset: 19, length: 3, language: 'python' },
      { type: 'pre', offset: 22, length: 1 },
      { type: 'expandable_blockquote', offset: 23, length: 1 },
      { type: 'spoiler', offset: 25, length: 1 },
    ]);
  });

  it('falls back to `text` (strings and objects) when text_entities is absent', () => {
    expect(formattedText({ text: ['see ', { type: 'hashtag', text: '#ai' }] }, user)).toEqual({
      text: 'see #ai',
      entities: [{ type: 'hashtag', offset: 4, length: 3 }],
    });
    expect(formattedText({ text: 'plain' }, user)).toEqual({ text: 'plain', entities: [] });
    expect(formattedText({}, user)).toEqual({ text: '', entities: [] });
  });
});
