/**
 * @kraken/memes — meme submissions, moderation records and the month's best memes.
 *
 * - `readSubmission` / `memeMediaOf` / `readRejectCommand`: what a message means for the meme flow (gateway);
 * - `MemeStore`: Meme rows (duplicates refused by file_unique_id, first decision wins);
 * - `bestMemesOfMonth`: approved memes of a month ranked by their channel post's reactions;
 * - `MEME_TEXTS`, `memeCredit`, `memeSendCall`: the bot's texts (ru/en), the credit line of channel
 *   posts, and the Bot API call sending a meme by file_id;
 * - `moderationCardCaption`, `channelPostCaption`: the captions of cards and channel posts, with the
 *   submitter's caption escaped and cut to Telegram's 1,024-character limit.
 */
export * from './meme-media';
export * from './meme-submission';
export * from './meme-record';
export * from './meme-store';
export * from './meme-texts';
export * from './meme-credit';
export * from './meme-captions';
export * from './best-memes';
export * from './reject-command';
export * from './meme-send';
