import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { postUpdate, type SerializedCall } from '@kraken/testing';
import { EmulatorClient } from './emulator-client';

/** Where the demo's deployment is and which chats it uses. */
export interface DemoTarget {
  /** The Bot API emulator's API root (its control API is under `/__emulator`). */
  emulatorRoot: string;
  /** The gateway's webhook URL and its secret token. */
  webhook: string;
  secret: string;
  /** The community group (the replayed export's supergroup), the moderation group and the channel. */
  groupId: number;
  moderationChatId: number;
  channelId: number;
}

/** The digest as the channel shows it. */
export interface PublishedDigest {
  /** The media group's items as the channel shows them: `[photo] <caption>`. */
  album: string[];
  /** The text messages as the emulator answered them (the text people read, formatting applied). */
  texts: string[];
  /** Path of the chart PNG the digest-worker uploaded. */
  chartPath: string;
  /** Number of memes in the media group. */
  memes: number;
}

/** A demo admin of every chat, and three members who submit memes. */
const ADMIN = { id: 9001, is_bot: false, first_name: 'Demo admin' };
const MEMBERS = [
  { id: 9101, is_bot: false, first_name: 'Аня' },
  { id: 9102, is_bot: false, first_name: 'Боря' },
  { id: 9103, is_bot: false, first_name: 'Вика' },
];
/** Reactions each meme's channel post gets (the digest ranks memes by them). */
const REACTIONS = [12, 7, 4];
const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

type Message = Record<string, unknown> & { message_id: number; date: number };
const resultOf = (call: SerializedCall) => (call.response.body as { result: unknown }).result;

/**
 * Drives a running deployment (gateway, stats worker, digest-worker; all with MEME_MODERATION_CHAT_ID,
 * MEME_CHANNEL_ID and MEME_CHAT_ID set to `target`'s chats) through the webhook the way people would,
 * and publishes the digest of `month` (`YYYY-MM`):
 * 1. configures the chats in the emulator (the demo admin administers each) and sets its clock inside
 *    the month, so channel posts are dated in it;
 * 2. three members submit a meme in private, the admin approves each (button press), each channel post
 *    gets reactions (a `message_reaction_count` update the stats worker stores);
 * 3. the admin sends `/digest publish <month>` in the group and the demo waits for Kraken's reply;
 * 4. reads the channel's media group and text posts from the emulator and saves the chart (the media
 *    group's uploaded PNG) as `<outDir>/digest-<month>.png`.
 * `waitStatsIdle` resolves when the stats queue is drained (the reactions are stored).
 * @throws Error when a step's call does not show up in time, or Kraken answers the command with
 *   anything but "published" (its reply is in the message).
 */
export async function publishDemoDigest(target: DemoTarget, month: string, outDir: string, waitStatsIdle: () => Promise<void>): Promise<PublishedDigest> {
  const emulator = new EmulatorClient(target.emulatorRoot);
  const admins = [{ status: 'creator', user: ADMIN, is_anonymous: false }];
  const group = { id: target.groupId, type: 'supergroup', title: 'ENSIA IMPACT © Group' };
  const channel = { id: target.channelId, type: 'channel', title: 'Kraken demo channel' };
  await emulator.setChat(target.groupId, { type: 'supergroup', title: group.title, administrators: admins });
  await emulator.setChat(target.moderationChatId, { type: 'supergroup', title: 'Kraken demo moderation', administrators: admins });
  await emulator.setChat(target.channelId, { type: 'channel', title: channel.title, administrators: admins });
  const [year, monthNumber] = month.split('-').map(Number);
  await emulator.setClock(Date.UTC(year, monthNumber - 1, 20, 12));
  const dateIn = (day: number) => Math.floor(Date.UTC(year, monthNumber - 1, day, 12) / 1000);
  let updateId = 50_000_000;
  const post = (update: Record<string, unknown>) => postTo(target, { update_id: updateId++, ...update });

  const run = Date.now().toString(36); // file ids new in every run: a kept database refuses a meme twice
  for (const [i, member] of MEMBERS.entries()) {
    const fileId = `demo-meme-${run}-${i + 1}`;
    await post({
      message: {
        message_id: 1 + i,
        date: dateIn(10 + i),
        chat: { id: member.id, type: 'private', first_name: member.first_name },
        from: member,
        photo: [{ file_id: fileId, file_unique_id: `demo-meme-unique-${run}-${i + 1}`, width: 800, height: 600 }],
        caption: ['Когда замёрджил в пятницу', 'Кракен после релиза', 'Митинг, который мог быть письмом'][i],
      },
    });
    const cardCall = await emulator.waitFor('sendPhoto', target.moderationChatId, `moderation card of meme ${i + 1}`, (c) => c.params.photo === fileId);
    const card = resultOf(cardCall) as Message;
    const approve = ((cardCall.params.reply_markup as { inline_keyboard: Array<Array<{ callback_data: string }>> }).inline_keyboard[0] ?? [])
      .map((button) => button.callback_data)
      .find((data) => data.startsWith('meme:a:'));
    if (!approve) throw new Error(`the moderation card of meme ${i + 1} has no Approve button`);
    await post({ callback_query: { id: `demo-approve-${i + 1}`, from: ADMIN, chat_instance: 'demo', data: approve, message: card } });
    const channelPost = resultOf(await emulator.waitFor('sendPhoto', target.channelId, `channel post of meme ${i + 1}`, (c) => c.params.photo === fileId)) as Message;
    await post({
      message_reaction_count: {
        chat: channel,
        message_id: channelPost.message_id,
        date: dateIn(21),
        reactions: [
          { type: { type: 'emoji', emoji: '🔥' }, total_count: REACTIONS[i] - 1 },
          { type: { type: 'emoji', emoji: '😂' }, total_count: 1 },
        ],
      },
    });
  }
  await waitStatsIdle();

  const textOf = (call: SerializedCall) => String((resultOf(call) as { text?: string }).text ?? '');
  let replyText = '';
  // A kept database (DEMO_KEEP=1) may hold the month published by an earlier run: then post it again.
  for (const command of [`/digest publish ${month}`, `/digest publish ${month} --force`]) {
    const beforeSeq = Math.max(0, ...(await emulator.calls('sendMessage', target.groupId)).map((c) => c.seq));
    await post({
      message: {
        message_id: 9_000_001 + updateId % 1000,
        date: dateIn(25),
        chat: group,
        from: ADMIN,
        text: command,
        entities: [{ type: 'bot_command', offset: 0, length: '/digest'.length }],
      },
    });
    const reply = await emulator.waitFor('sendMessage', target.groupId, `reply to ${command}`, (c) => c.seq > beforeSeq && /дайджест|digest/i.test(textOf(c)), 90_000);
    replyText = textOf(reply);
    if (!/уже опубликован|already published/.test(replyText)) break;
  }
  if (!/опубликован|is published/.test(replyText) || /уже опубликован|already published/.test(replyText)) {
    throw new Error(`Kraken answered /digest publish with: ${replyText}`);
  }

  const albumCall = (await emulator.calls('sendMediaGroup', target.channelId)).at(-1);
  if (!albumCall) throw new Error('the digest has no media group in the channel');
  const chart = albumCall.mediaUploads?.[0];
  const png = chart ? Buffer.from(chart.base64, 'base64') : undefined;
  if (!png || !png.subarray(0, 8).equals(PNG_SIGNATURE)) throw new Error('the media group does not start with the chart PNG');
  mkdirSync(outDir, { recursive: true });
  const chartPath = join(outDir, `digest-${month}.png`);
  writeFileSync(chartPath, png);
  const album = (resultOf(albumCall) as Array<Message & { caption?: string }>).map((item) => `[photo] ${item.caption ?? ''}`.trimEnd());
  const texts = (await emulator.calls('sendMessage', target.channelId)).filter((c) => c.seq > albumCall.seq).map(textOf);
  if (texts.length === 0) throw new Error('the digest has no text post in the channel');
  return { album, texts, chartPath, memes: album.length - 1 };
}

/**
 * Asks Kraken `question` in the group (a member's message starting with its name, which triggers an
 * answer) and waits for the llm-worker's reply to it through the outbox.
 * @returns the answer as the group shows it. @throws Error when no answer arrives within `timeoutMs`.
 */
export async function askKraken(target: DemoTarget, question: string, timeoutMs = 90_000): Promise<string> {
  const emulator = new EmulatorClient(target.emulatorRoot);
  const messageId = 9_000_100;
  await postTo(target, {
    update_id: 50_100_000,
    message: {
      message_id: messageId,
      date: Math.floor(Date.now() / 1000),
      chat: { id: target.groupId, type: 'supergroup', title: 'ENSIA IMPACT © Group' },
      from: MEMBERS[0],
      text: question,
    },
  });
  const isReply = (call: SerializedCall) => {
    const params = call.params as { reply_to_message_id?: number; reply_parameters?: { message_id?: number } | string };
    const parameters = typeof params.reply_parameters === 'string' ? (JSON.parse(params.reply_parameters) as { message_id?: number }) : params.reply_parameters;
    return Number(params.reply_to_message_id ?? parameters?.message_id) === messageId;
  };
  const answer = await emulator.waitFor('sendMessage', target.groupId, 'answer to the question', isReply, timeoutMs);
  return String((resultOf(answer) as { text?: string }).text ?? '');
}

/** POSTs one update to the gateway's webhook. @throws Error unless it answers 200. */
async function postTo(target: DemoTarget, update: Record<string, unknown>): Promise<void> {
  const status = await postUpdate(target.webhook, target.secret, update);
  if (status !== 200) throw new Error(`the webhook answered ${status}`);
}
