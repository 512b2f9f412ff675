import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PrismaService } from '@kraken/db';
import { FakeLlmServer, ROOT, type RecordedCall } from '@kraken/testing';
import { Deployment, SECRET } from '../ops/support/deployment';
import { postUpdate } from '../support/processes';

const VOICE = readFileSync(join(ROOT, 'test', 'fixtures', 'assistant', 'voice-ru.ogg'));
const SPOKEN = 'Привет, Кракен! Какая погода будет завтра в Москве? <b>';
const ALICE = { id: 7201, is_bot: false, first_name: 'Алиса', language_code: 'ru' };
const BOB = { id: 7202, is_bot: false, first_name: 'Bob', language_code: 'en' };

type User = typeof ALICE;

/**
 * Issue 11 item 6: voice notes in the private assistant, on the apps as processes (gateway,
 * llm-worker) with the Bot API emulator, the fake OpenAI-compatible provider, PostgreSQL and Redis.
 */
describe('voice notes in the private assistant', () => {
  const llm = new FakeLlmServer();
  let deployment: Deployment;
  let prisma: PrismaService;
  let updateId = 1;
  let messageId = 900;

  /** Sends a voice note made of `data` (addMedia `options`) in `user`'s private chat; @returns its message and file id. */
  const sendVoice = async (user: User, data: Buffer, options: { fileSize?: number } = {}, kind: 'voice' | 'video_note' = 'voice') => {
    const media = deployment.emulator.addMedia(kind, data, options) as Record<string, { file_id: string }>;
    const message = { message_id: messageId++, date: Math.floor(Date.now() / 1000), chat: { id: user.id, type: 'private', first_name: user.first_name }, from: user, ...media };
    expect(await postUpdate(deployment.webhook, SECRET, { update_id: updateId++, message })).toBe(200);
    return { message, fileId: media[kind].file_id };
  };
  /** The bot's first `count` accepted sendMessage calls replying to message `id` of `user`, in the order Telegram got them. */
  const replies = (user: User, id: number, count: number): Promise<RecordedCall[]> =>
    deployment.emulator.waitFor(
      (c) => c.method === 'sendMessage' && c.response.status === 200 && Number(c.params.chat_id) === user.id && (c.params.reply_parameters as { message_id?: number } | undefined)?.message_id === id,
      { count, timeoutMs: 30_000 },
    );
  const usageRows = (key: string) => prisma.llmUsage.findMany({ where: { requestKey: { startsWith: key } }, orderBy: { requestKey: 'asc' } });

  beforeAll(async () => {
    await llm.start();
    deployment = await Deployment.start({
      workers: 0,
      emulator: { bot: { username: 'KrakenVoiceBot', first_name: 'Kraken' } },
      env: { LLM_PROVIDERS: 'fake', LLM_FAKE_BASE_URL: llm.baseUrl, LLM_FAKE_API_KEY: 'sk-fake', CHAT_MODEL: 'gpt-4o-mini', OUTBOX_CHAT_PER_SECOND: '30', LOG_LEVEL: 'warn' },
    });
    await deployment.startLlmWorker({ ASSISTANT_TRANSCRIPTION_MODEL: 'gpt-4o-mini-transcribe', ASSISTANT_TRANSCRIPTION_USD_PER_MINUTE: '0.003', ASSISTANT_TRANSCRIPTION_TIMEOUT_MS: '1500' });
    prisma = new PrismaService({ databaseUrl: deployment.env.DATABASE_URL, poolSize: 1 });
    await prisma.$connect();
  }, 120_000);

  afterAll(async () => {
    await prisma?.$disconnect();
    await deployment?.stop();
    await llm.stop();
  });

  test("the voice note's bytes reach /audio/transcriptions; the transcript (quoted, escaped) and then the answer arrive; billed per second", async () => {
    llm.scriptTranscriptions({ text: SPOKEN, language: 'russian' });
    const { message } = await sendVoice(ALICE, VOICE);
    const [transcript, answer] = await replies(ALICE, message.message_id, 2);

    expect(llm.transcriptionRequests).toHaveLength(1);
    const [upload] = llm.transcriptionRequests;
    expect(upload.file!.data.equals(VOICE)).toBe(true);
    expect(upload.fields).toMatchObject({ model: 'gpt-4o-mini-transcribe', response_format: 'verbose_json' });
    expect(upload.fields.language).toBeUndefined();

    expect(transcript.params.parse_mode).toBe('HTML');
    expect(transcript.params.text).toBe('🎙 Распознано:\n<blockquote expandable>Привет, Кракен! Какая погода будет завтра в Москве? &lt;b&gt;</blockquote>');
    expect(llm.requests).toHaveLength(1);
    const question = llm.requests[0].body.messages.at(-1)!;
    expect(question).toMatchObject({ role: 'user', content: SPOKEN });
    expect(answer.params.text).toBe(`Answer #${llm.requests[0].seq}`);

    const key = `ast-${ALICE.id}-${message.message_id}`;
    const rows = await usageRows(key);
    const voice = rows.find((row) => row.purpose === 'assistant-voice')!;
    expect(voice).toMatchObject({ requestKey: `${key}-stt-0`, model: 'gpt-4o-mini-transcribe', promptTokens: 0, completionTokens: 0 });
    // The fake reports the OGG's own length (4.415 s): 4.415 / 60 × 0.003 USD.
    expect(Number(voice.costUsd)).toBeCloseTo((4.415 / 60) * 0.003, 6);
    expect(rows.some((row) => row.purpose === 'assistant')).toBe(true);
  });

  test('a 21 MB voice note is refused before getFile: a clear message, no transcription, nothing billed', async () => {
    const transcriptions = llm.transcriptionRequests.length;
    const completions = llm.requests.length;
    // Other bytes than the first test's (the emulator gives the same bytes the same file), reported as 21 MB.
    const { message, fileId } = await sendVoice(BOB, Buffer.concat([VOICE, Buffer.from('21MB')]), { fileSize: 21 * 1024 * 1024 });
    const [reply] = await replies(BOB, message.message_id, 1);
    expect(reply.params.text).toBe('The file is over 20 MB: Telegram does not let bots download such files. Please send a shorter recording.');
    expect(deployment.emulator.calls((c) => c.method === 'getFile' && c.params.file_id === fileId)).toHaveLength(0);
    expect(llm.transcriptionRequests.length).toBe(transcriptions);
    expect(llm.requests.length).toBe(completions);
    expect(await usageRows(`ast-${BOB.id}-${message.message_id}`)).toEqual([]);
  });

  test('a corrupt OGG the provider refuses gets a clear message; no answer, nothing billed', async () => {
    const completions = llm.requests.length;
    const corrupt = Buffer.concat([Buffer.from('OggS'), Buffer.alloc(6000, 0x5a)]);
    const { message } = await sendVoice(ALICE, corrupt);
    const [reply] = await replies(ALICE, message.message_id, 1);
    expect(reply.params.text).toBe('Не удалось прочитать аудио: файл повреждён или в неизвестном формате. Попробуйте записать ещё раз.');
    const upload = llm.transcriptionRequests.at(-1)!;
    expect(upload.file!.data.equals(corrupt)).toBe(true);
    // The refusal is final: no second attempt, no chat completion, no usage row.
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(llm.transcriptionRequests.filter((r) => r.file?.data.equals(corrupt))).toHaveLength(1);
    expect(llm.requests.length).toBe(completions);
    expect(await usageRows(`ast-${ALICE.id}-${message.message_id}`)).toEqual([]);
    expect(deployment.emulator.calls((c) => c.method === 'sendMessage' && (c.params.reply_parameters as { message_id?: number } | undefined)?.message_id === message.message_id)).toHaveLength(1);
  });

  test('a video note is converted with ffmpeg: only its sound, as OGG/Opus, reaches the provider', async () => {
    const mp4 = execFileSync('/usr/bin/ffmpeg', ['-v', 'error', '-f', 'lavfi', '-i', 'testsrc=size=64x64:rate=10:duration=2', '-f', 'lavfi', '-i', 'sine=duration=2', '-c:v', 'mpeg4', '-c:a', 'aac', '-shortest', '-movflags', 'frag_keyframe+empty_moov', '-f', 'mp4', 'pipe:1']);
    llm.scriptTranscriptions({ text: 'Кружочек', language: 'russian' });
    const before = llm.transcriptionRequests.length;
    const { message } = await sendVoice(BOB, mp4, {}, 'video_note');
    const [transcript, answer] = await replies(BOB, message.message_id, 2);
    const upload = llm.transcriptionRequests[before];
    expect(upload.file!.filename).toBe('audio.ogg');
    expect(upload.file!.data.subarray(0, 4).toString('latin1')).toBe('OggS');
    expect(upload.file!.data.equals(mp4)).toBe(false);
    expect(transcript.params.text).toBe('🎙 Transcript:\n<blockquote expandable>Кружочек</blockquote>');
    expect(answer.params.text).toMatch(/^Answer #\d+$/);
  });

  // Last: the hanging steps it scripts are not all used up.
  test('a transcription that times out gets a clear message; no answer, nothing billed', async () => {
    const completions = llm.requests.length;
    const before = llm.transcriptionRequests.length;
    llm.scriptTranscriptions({ hang: true }, { hang: true }, { hang: true }, { hang: true });
    const { message } = await sendVoice(ALICE, Buffer.concat([VOICE, Buffer.from('slow')]));
    const [reply] = await replies(ALICE, message.message_id, 1);
    expect(reply.params.text).toBe('Не удалось распознать речь: сервис распознавания не ответил. Попробуйте ещё раз чуть позже.');
    // LLM_MAX_RETRIES (2) retries after the first attempt, each cut at ASSISTANT_TRANSCRIPTION_TIMEOUT_MS.
    expect(llm.transcriptionRequests.length - before).toBe(3);
    expect(llm.requests.length).toBe(completions);
    expect(await usageRows(`ast-${ALICE.id}-${message.message_id}`)).toEqual([]);
  });
});
