import { memeCallbackData, parseMemeCallbackData } from '@kraken/contracts';
import type { Message } from 'telegraf/types';
import { parseCommand, telegramHtmlToText } from '@kraken/chat';
import { messageText } from '@kraken/telegram';
import { channelPostCaption, moderationCardCaption, TELEGRAM_CAPTION_LIMIT } from './meme-captions';
import { memeCredit } from './meme-credit';
import type { MemeRecord } from './meme-record';
import { memeMediaOf } from './meme-media';
import { memeSendCall } from './meme-send';
import { hasHashtag, memeCaptionOf, readSubmission as readWithCommand } from './meme-submission';
import { readRejectCommand as readRejectWithCommand } from './reject-command';

const user = { id: 7, is_bot: false, first_name: 'Ann', username: 'ann' };
const other = { id: 8, is_bot: false, first_name: 'Bob' };
const group = { id: -1001, type: 'supergroup', title: 'Group' };
const photo = [
  { file_id: 'small', file_unique_id: 'us', width: 90, height: 90 },
  { file_id: 'big', file_unique_id: 'ub', width: 1280, height: 720 },
];
const rules = { botUsername: 'kraken_bot', hashtag: '#мем' };
/** readSubmission with the message's bot command parsed as the gateway does (commandOf). */
const readSubmission = (updateId: number, message: Message, { botUsername, hashtag }: typeof rules) =>
  readWithCommand(updateId, message, parseCommand(messageText(message), botUsername), hashtag);
/** readRejectCommand with the message's bot command parsed as the gateway does (commandOf). */
const readRejectCommand = (message: Message, bot: { id: number; username: string }) => readRejectWithCommand(message, parseCommand(messageText(message), bot.username), bot.id);
/** A message with the fields under test (a fixture: only the fields the code reads, hence the cast). */
const msg = (fields: Record<string, unknown>) => ({ message_id: 10, date: 1_700_000_000, chat: group, from: user, ...fields }) as unknown as Message;

describe('memeMediaOf', () => {
  test('the largest photo, a video, or an animation (not its document twin)', () => {
    expect(memeMediaOf(msg({ photo }))).toEqual({ kind: 'photo', fileId: 'big', fileUniqueId: 'ub' });
    expect(memeMediaOf(msg({ video: { file_id: 'v', file_unique_id: 'uv' } }))).toEqual({ kind: 'video', fileId: 'v', fileUniqueId: 'uv' });
    const gif = { file_id: 'g', file_unique_id: 'ug' };
    expect(memeMediaOf(msg({ animation: gif, document: gif }))).toEqual({ kind: 'animation', fileId: 'g', fileUniqueId: 'ug' });
    expect(memeMediaOf(msg({ text: 'hi' }))).toBeNull();
  });
});

describe('readSubmission', () => {
  test('media in private is a submission by its sender', () => {
    const decision = readSubmission(5, msg({ chat: { id: 7, type: 'private', first_name: 'Ann' }, photo }), rules);
    expect(decision).toEqual({
      kind: 'submit',
      job: expect.objectContaining({ updateId: 5, via: 'private', mediaMessageId: 10, replyToMessageId: 10, date: 1_700_000_000, submitter: { id: 7, name: 'Ann', username: 'ann' }, media: { kind: 'photo', fileId: 'big', fileUniqueId: 'ub' } }),
    });
  });

  test('/meme replying to media submits that media, crediting its sender', () => {
    const reply = { message_id: 3, date: 1, chat: group, from: other, video: { file_id: 'v', file_unique_id: 'uv' } };
    const decision = readSubmission(6, msg({ text: '/meme@kraken_bot', reply_to_message: reply }), rules);
    expect(decision).toEqual({ kind: 'submit', job: expect.objectContaining({ via: 'command', mediaMessageId: 3, replyToMessageId: 10, author: { id: 8, name: 'Bob' }, submitter: expect.objectContaining({ id: 7 }) }) });
  });

  test('/meme without media to reply to asks for it; /meme for another bot is ignored', () => {
    expect(readSubmission(6, msg({ text: '/meme' }), rules)).toEqual({ kind: 'hint', chat: { id: -1001, type: 'supergroup', title: 'Group' }, messageId: 10 });
    expect(readSubmission(6, msg({ text: '/meme@other_bot', reply_to_message: { message_id: 3, date: 1, photo } }), rules)).toBeNull();
  });

  test('the hashtag in a caption, or in a reply to media, submits', () => {
    expect(readSubmission(7, msg({ photo, caption: 'смотрите #МЕМ!' }), rules)).toMatchObject({ kind: 'submit', job: { via: 'hashtag', mediaMessageId: 10 } });
    expect(readSubmission(7, msg({ text: '#мем', reply_to_message: { message_id: 4, date: 1, from: other, photo } }), rules)).toMatchObject({
      kind: 'submit',
      job: { via: 'hashtag', mediaMessageId: 4, author: { id: 8 } },
    });
    expect(readSubmission(7, msg({ photo, caption: '#мемы' }), rules)).toBeNull();
    expect(readSubmission(7, msg({ photo }), rules)).toBeNull();
  });

  test('the media message\'s caption goes with the submission, without the hashtag', () => {
    expect(readSubmission(5, msg({ chat: { id: 7, type: 'private', first_name: 'Ann' }, photo, caption: 'когда <b>тесты</b> & прод' }), rules)).toMatchObject({
      job: { caption: 'когда <b>тесты</b> & прод' },
    });
    expect(readSubmission(7, msg({ photo, caption: 'смотрите #МЕМ!  ага' }), rules)).toMatchObject({ job: { caption: 'смотрите ! ага' } });
    const reply = { message_id: 3, date: 1, chat: group, from: other, photo, caption: 'подпись автора' };
    expect(readSubmission(6, msg({ text: '/meme', reply_to_message: reply }), rules)).toMatchObject({ job: { caption: 'подпись автора' } });
    const bare = readSubmission(7, msg({ photo, caption: '#мем' }), rules);
    expect(bare?.kind === 'submit' && 'caption' in bare.job).toBe(false);
    expect(memeCaptionOf(msg({ photo, caption: `${'😀'.repeat(600)}` }), '#мем')!.length).toBeLessThanOrEqual(1024);
    expect(memeCaptionOf(msg({ photo, caption: `${'😀'.repeat(600)}` }), '#мем')).toMatch(/😀$/u);
  });

  test('bots and channels are ignored', () => {
    expect(readSubmission(8, msg({ from: { ...user, is_bot: true }, photo, caption: '#мем' }), rules)).toBeNull();
    expect(readSubmission(8, msg({ chat: { id: -100, type: 'channel' }, photo, caption: '#мем' }), rules)).toBeNull();
  });

  test('hasHashtag matches whole tags only', () => {
    expect(hasHashtag('#мем', '#мем')).toBe(true);
    expect(hasHashtag('a#мем', '#мем')).toBe(false);
    expect(hasHashtag('(#Мем)', '#мем')).toBe(true);
  });
});

describe('moderation helpers', () => {
  test('callback data round-trips and stays within 64 bytes', () => {
    const data = memeCallbackData('reject', 123456789012345);
    expect(Buffer.byteLength(data)).toBeLessThanOrEqual(64);
    expect(parseMemeCallbackData(data)).toEqual({ action: 'reject', memeId: 123456789012345 });
    expect(parseMemeCallbackData('meme:x:1')).toBeNull();
  });

  test('/reject replying to the bot reads the reason', () => {
    const bot = { id: 99, username: 'kraken_bot' };
    const card = { message_id: 50, date: 1, from: { id: 99, is_bot: true, first_name: 'Kraken' } };
    expect(readRejectCommand(msg({ text: '/reject баян  ', reply_to_message: card }), bot)).toEqual({ cardMessageId: 50, reason: 'баян' });
    expect(readRejectCommand(msg({ text: '/reject', reply_to_message: { ...card, from: other } }), bot)).toBeNull();
    expect(readRejectCommand(msg({ text: '/reject' }), bot)).toBeNull();
  });

  test('credit and send calls', () => {
    const meme = { authorName: 'Ann <3', authorUsername: 'ann' };
    expect(memeCredit(meme, 'name', 'ru')).toBe('Автор: Ann &lt;3');
    expect(memeCredit(meme, 'username', 'en')).toBe('By @ann');
    expect(memeCredit({ ...meme, authorUsername: null }, 'username', 'en')).toBe('By Ann &lt;3');
    expect(memeCredit(meme, 'none', 'ru')).toBe('');
    expect(memeSendCall('animation', 'f', -5, '')).toEqual({ method: 'sendAnimation', params: { chat_id: -5, animation: 'f' }, chatId: -5, isMessage: true });
    expect(memeSendCall('photo', 'f', '@ch', 'c', { inline_keyboard: [] }).params).toEqual({ chat_id: '@ch', photo: 'f', caption: 'c', parse_mode: 'HTML', reply_markup: { inline_keyboard: [] } });
  });

  const meme = (over: Partial<MemeRecord> = {}): MemeRecord => ({
    id: 12, fileUniqueId: 'u', fileId: 'f', kind: 'photo', chatId: -1, sourceChatId: -1, sourceMessageId: 1, submitterId: 7, submitterName: 'Ann',
    authorId: 8, authorName: 'Bob', authorUsername: null, caption: 'когда <b>тесты</b> & прод', status: 'submitted', submittedAt: new Date(0),
    moderationChatId: -5, moderationMessageId: 50, decidedById: null, decidedByName: null, decidedAt: null, reason: null,
    channelChatId: null, channelMessageId: null, postedAt: null, ...over,
  });

  test('the card shows the caption escaped and invites /reject only until a decision', () => {
    expect(moderationCardCaption(meme(), 'ru')).toBe(
      'Мем #12 (фото). Автор: Bob · отправитель: Ann\nПодпись: когда &lt;b&gt;тесты&lt;/b&gt; &amp; прод\n' +
        'Отклонить с причиной: ответь на эту карточку <code>/reject причина</code>',
    );
    const rejected = moderationCardCaption(meme({ status: 'rejected', decidedByName: 'Alice', reason: 'баян' }), 'ru');
    expect(rejected).toBe('Мем #12 (фото). Автор: Bob · отправитель: Ann\nПодпись: когда &lt;b&gt;тесты&lt;/b&gt; &amp; прод\n❌ Отклонено. Модератор: Alice. Причина: баян');
    expect(moderationCardCaption(meme({ status: 'approved', decidedByName: 'Alice' }), 'en')).not.toContain('/reject');
    expect(moderationCardCaption(meme({ caption: null }), 'en')).toBe('Meme #12 (photo). Author: Bob · sender: Ann\nTo reject with a reason, reply to this card with <code>/reject reason</code>');
  });

  test('the channel post carries the caption and the credit', () => {
    expect(channelPostCaption(meme(), 'name', 'ru')).toBe('когда &lt;b&gt;тесты&lt;/b&gt; &amp; прод\n\nАвтор: Bob');
    expect(channelPostCaption(meme(), 'none', 'ru')).toBe('когда &lt;b&gt;тесты&lt;/b&gt; &amp; прод');
    expect(channelPostCaption(meme({ caption: null }), 'none', 'ru')).toBe('');
  });

  test('a 1,024-character caption of escapable characters, long names and reason stay within Telegram\'s caption limit', () => {
    const long = meme({ caption: '<&>"'.repeat(256), authorName: 'Б'.repeat(256), submitterName: '&'.repeat(256), decidedByName: '<'.repeat(256), reason: '>'.repeat(512) });
    for (const status of ['submitted', 'approved', 'rejected'] as const) {
      const html = moderationCardCaption({ ...long, status }, 'ru');
      expect(telegramHtmlToText(html).length).toBeLessThanOrEqual(TELEGRAM_CAPTION_LIMIT);
      expect(html).toContain('Подпись: &lt;&amp;&gt;&quot;');
      expect(html).toMatch(/…\n/);
    }
    const post = channelPostCaption(long, 'name', 'en');
    expect(telegramHtmlToText(post).length).toBeLessThanOrEqual(TELEGRAM_CAPTION_LIMIT);
    expect(post.endsWith(`By ${'Б'.repeat(128)}…`)).toBe(true);
  });
});
