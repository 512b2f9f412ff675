import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import OpenAI, { APIConnectionError, BadRequestError, RateLimitError, toFile } from 'openai';
import { ROOT } from '../app-process';
import { oggOpusDuration } from '../audio-duration';
import { FakeLlmServer } from './fake-llm-server';

const FIXTURES = join(ROOT, 'test', 'fixtures', 'assistant');
const VOICE = readFileSync(join(FIXTURES, 'voice-ru.ogg'));
const PHOTO = readFileSync(join(FIXTURES, 'photo.jpg'));

/** Width and height from a PNG's IHDR. */
const pngSize = (png: Buffer) => ({ signature: png.subarray(0, 8).toString('hex'), width: png.readUInt32BE(16), height: png.readUInt32BE(20) });

describe('FakeLlmServer through the openai SDK', () => {
  let llm: FakeLlmServer;
  let client: OpenAI;

  beforeAll(async () => {
    llm = new FakeLlmServer();
    client = new OpenAI({ apiKey: 'sk-fake', baseURL: await llm.start(), maxRetries: 0, timeout: 5000 });
  });
  afterAll(() => llm.stop());
  beforeEach(() => {
    llm.reset();
    Object.assign(llm, { latencyMs: 0, tokensPerSecond: undefined, contextWindowTokens: undefined, visionModels: undefined, maxCompletionTokensModels: undefined });
  });

  describe('chat completions', () => {
    test('stream: true sends the text in chunks, a finish chunk and, with include_usage, a last usage chunk', async () => {
      llm.script({ text: 'раз два три', usage: { prompt_tokens: 11, completion_tokens: 3 } });
      const stream = await client.chat.completions.create({
        model: 'gpt-4o-mini',
        messages: [{ role: 'user', content: 'count' }],
        stream: true,
        stream_options: { include_usage: true },
      });
      const chunks = [];
      for await (const chunk of stream) chunks.push(chunk);
      expect(chunks.map((c) => c.choices[0]?.delta.content ?? '').join('')).toBe('раз два три');
      expect(chunks.at(-2)?.choices[0].finish_reason).toBe('stop');
      expect(chunks.at(-1)).toMatchObject({ choices: [], usage: { prompt_tokens: 11, completion_tokens: 3, total_tokens: 14 } });
      expect(llm.requests[0].body).toMatchObject({ stream: true, stream_options: { include_usage: true } });
    });

    test('without include_usage no usage chunk is sent', async () => {
      const stream = await client.chat.completions.create({ model: 'm', messages: [{ role: 'user', content: 'hi' }], stream: true });
      const chunks = [];
      for await (const chunk of stream) chunks.push(chunk);
      expect(chunks.some((c) => c.usage)).toBe(false);
      expect(chunks.map((c) => c.choices[0]?.delta.content ?? '').join('')).toBe('Answer #1');
    });

    test('tokensPerSecond paces the stream; latencyMs delays the first byte', async () => {
      llm.latencyMs = 150;
      llm.tokensPerSecond = 40; // 8 one-token words: 7 gaps of 25 ms
      llm.script({ text: 'a b c d e f g h' });
      const started = Date.now();
      const stream = await client.chat.completions.create({ model: 'm', messages: [{ role: 'user', content: 'x' }], stream: true });
      const arrivals: number[] = [];
      for await (const chunk of stream) if (chunk.choices[0]?.delta.content) arrivals.push(Date.now() - started);
      expect(arrivals).toHaveLength(8);
      expect(arrivals[0]).toBeGreaterThanOrEqual(140);
      expect(arrivals[7] - arrivals[0]).toBeGreaterThanOrEqual(150);
    });

    test('image_url parts are recorded with their decoded bytes; a model outside visionModels refuses them', async () => {
      const url = `data:image/jpeg;base64,${PHOTO.toString('base64')}`;
      const messages: OpenAI.Chat.ChatCompletionMessageParam[] = [
        { role: 'user', content: [{ type: 'text', text: 'What is on the photo?' }, { type: 'image_url', image_url: { url, detail: 'low' } }] },
      ];
      const answer = await client.chat.completions.create({ model: 'gpt-4o', messages });
      expect(answer.choices[0].message.content).toBe('Answer #1');
      expect(llm.requests[0].images).toEqual([{ role: 'user', url, detail: 'low', mimeType: 'image/jpeg', data: PHOTO }]);
      expect(answer.usage?.prompt_tokens).toBe(Math.ceil('What is on the photo?'.length / 4));

      llm.visionModels = ['gpt-4o'];
      const refused = client.chat.completions.create({ model: 'gpt-3.5-turbo', messages });
      await expect(refused).rejects.toBeInstanceOf(BadRequestError);
      await expect(refused).rejects.toThrow(/image_url is only supported by certain models/);
    });

    test('scripted failures: 429 with retry-after-ms, a hang the client times out on, a cut stream', async () => {
      llm.script({ status: 429, message: 'slow down', retryAfterMs: 1200 }, { hang: true }, { text: 'one two three four', cutAfterChunks: 2 });
      const limited = await client.chat.completions.create({ model: 'm', messages: [{ role: 'user', content: 'a' }] }).catch((e: unknown) => e);
      expect(limited).toBeInstanceOf(RateLimitError);
      expect((limited as RateLimitError).headers?.get('retry-after-ms')).toBe('1200');
      const hangStarted = Date.now();
      // A timeout (APIConnectionTimeoutError, an APIConnectionError; under jest's realms the SDK reports the plain parent class).
      await expect(client.chat.completions.create({ model: 'm', messages: [{ role: 'user', content: 'b' }] }, { timeout: 200 })).rejects.toBeInstanceOf(APIConnectionError);
      expect(Date.now() - hangStarted).toBeGreaterThanOrEqual(190);
      const stream = await client.chat.completions.create({ model: 'm', messages: [{ role: 'user', content: 'c' }], stream: true });
      const pieces: string[] = [];
      await expect(
        (async () => {
          for await (const chunk of stream) pieces.push(chunk.choices[0]?.delta.content ?? '');
        })(),
      ).rejects.toThrow();
      expect(pieces.join('')).toBe('one two ');
    });

    test('a client abort mid-stream is recorded as aborted', async () => {
      llm.script({ text: 'slow '.repeat(50), tokensPerSecond: 20 });
      const controller = new AbortController();
      const stream = await client.chat.completions.create({ model: 'm', messages: [{ role: 'user', content: 'x' }], stream: true }, { signal: controller.signal });
      let pieces = 0;
      for await (const _chunk of stream) if (++pieces === 3) controller.abort(); // the SDK ends the iteration on abort
      expect(pieces).toBeLessThan(10);
      await llm.waitUntil(() => llm.requests[0].aborted, 2000);
      expect(llm.requests[0].aborted).toBe(true);
    });

    test('maxCompletionTokensModels refuse max_tokens and take max_completion_tokens', async () => {
      llm.maxCompletionTokensModels = ['o4-mini'];
      const messages: OpenAI.Chat.ChatCompletionMessageParam[] = [{ role: 'user', content: 'x' }];
      const error = await client.chat.completions.create({ model: 'o4-mini', messages, max_tokens: 10 }).catch((e: unknown) => e);
      expect((error as BadRequestError).code).toBe('unsupported_parameter');
      await expect(client.chat.completions.create({ model: 'o4-mini', messages, max_completion_tokens: 10 })).resolves.toBeDefined();
      await expect(client.chat.completions.create({ model: 'gpt-4o-mini', messages, max_tokens: 10 })).resolves.toBeDefined();
    });

    test('a prompt over contextWindowTokens is refused with context_length_exceeded', async () => {
      llm.contextWindowTokens = 10;
      const error = await client.chat.completions.create({ model: 'm', messages: [{ role: 'user', content: 'x'.repeat(44) }] }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(BadRequestError);
      expect((error as BadRequestError).code).toBe('context_length_exceeded');
      await expect(client.chat.completions.create({ model: 'm', messages: [{ role: 'user', content: 'x'.repeat(40) }] })).resolves.toBeDefined();
    });
  });

  describe('responses', () => {
    test('previous_response_id continues a stored conversation; usage has the Responses shape', async () => {
      llm.script({ text: 'Hello, Anna.' }, { text: 'Your name is Anna.' });
      const first = await client.responses.create({ model: 'gpt-4.1', instructions: 'Be brief.', input: 'My name is Anna.', store: true, truncation: 'auto' });
      expect(first).toMatchObject({ id: 'resp_fake_1', object: 'response', status: 'completed', output_text: 'Hello, Anna.', store: true, truncation: 'auto' });
      const second = await client.responses.create({ model: 'gpt-4.1', previous_response_id: first.id, input: [{ role: 'user', content: 'What is my name?' }] });
      expect(second.output_text).toBe('Your name is Anna.');
      expect(llm.responsesRequests[1].context).toEqual([
        { role: 'user', text: 'My name is Anna.' },
        { role: 'assistant', text: 'Hello, Anna.' },
        { role: 'user', text: 'What is my name?' },
      ]);
      const contextTokens = Math.ceil(llm.responsesRequests[1].context.map((m) => m.text).join('\n').length / 4);
      expect(second.usage).toEqual({
        input_tokens: contextTokens,
        input_tokens_details: { cached_tokens: 0 },
        output_tokens: Math.ceil('Your name is Anna.'.length / 4),
        output_tokens_details: { reasoning_tokens: 0 },
        total_tokens: contextTokens + Math.ceil('Your name is Anna.'.length / 4),
      });
    });

    test('an unknown or unstored previous_response_id is refused with previous_response_not_found', async () => {
      const unstored = await client.responses.create({ model: 'm', input: 'x', store: false });
      for (const id of ['resp_missing', unstored.id]) {
        const error = await client.responses.create({ model: 'm', input: 'y', previous_response_id: id }).catch((e: unknown) => e);
        expect(error).toBeInstanceOf(BadRequestError);
        expect((error as BadRequestError).code).toBe('previous_response_not_found');
      }
    });

    test('over the window: truncation disabled refuses, truncation auto drops the oldest turns', async () => {
      llm.contextWindowTokens = 12;
      const first = await client.responses.create({ model: 'm', input: 'a'.repeat(24) });
      const refused = await client.responses.create({ model: 'm', previous_response_id: first.id, input: 'b'.repeat(24) }).catch((e: unknown) => e);
      expect((refused as BadRequestError).code).toBe('context_length_exceeded');
      await client.responses.create({ model: 'm', previous_response_id: first.id, input: 'b'.repeat(24), truncation: 'auto' });
      const truncated = llm.responsesRequests[2];
      expect(truncated.truncatedMessages).toBe(1);
      expect(truncated.context.map((m) => m.role)).toEqual(['assistant', 'user']);
    });

    test('input_image items are recorded', async () => {
      const url = `data:image/jpeg;base64,${PHOTO.toString('base64')}`;
      await client.responses.create({
        model: 'gpt-4.1',
        input: [{ role: 'user', content: [{ type: 'input_text', text: 'Describe' }, { type: 'input_image', image_url: url, detail: 'auto' }] }],
      });
      expect(llm.responsesRequests[0].images[0]).toMatchObject({ role: 'user', mimeType: 'image/jpeg', data: PHOTO });
      expect(llm.responsesRequests[0].context).toEqual([{ role: 'user', text: 'Describe' }]);
    });

    test('stream: true sends the Responses streaming events ending with response.completed', async () => {
      llm.script({ text: 'streamed answer here' });
      const stream = await client.responses.create({ model: 'm', input: 'hi', stream: true });
      const types: string[] = [];
      let text = '';
      let completed: OpenAI.Responses.Response | undefined;
      for await (const event of stream) {
        types.push(event.type);
        if (event.type === 'response.output_text.delta') text += event.delta;
        if (event.type === 'response.completed') completed = event.response;
      }
      expect(text).toBe('streamed answer here');
      expect(types.slice(0, 4)).toEqual(['response.created', 'response.in_progress', 'response.output_item.added', 'response.content_part.added']);
      expect(types.slice(-4)).toEqual(['response.output_text.done', 'response.content_part.done', 'response.output_item.done', 'response.completed']);
      expect(completed).toMatchObject({ status: 'completed', output: [{ content: [{ text: 'streamed answer here' }] }], usage: { output_tokens: 5 } });

      llm.script({ text: 'cut short here', cutAfterChunks: 1 });
      const cut = await client.responses.create({ model: 'm', input: 'x', stream: true });
      await expect((async () => {
        for await (const _event of cut);
      })()).rejects.toThrow();
      const notStored = await client.responses.create({ model: 'm', input: 'y', previous_response_id: 'resp_fake_2' }).catch((e: unknown) => e);
      expect((notStored as BadRequestError).code).toBe('previous_response_not_found');

      const helper = await client.responses.stream({ model: 'm', input: 'again', previous_response_id: completed!.id }).finalResponse();
      expect(helper.output_text).toBe('Answer #4');
    });
  });

  describe('audio transcriptions', () => {
    test('the OGG/Opus voice note arrives byte for byte; verbose_json reports language and duration', async () => {
      llm.scriptTranscriptions({ text: 'Привет, Кракен! Какая погода будет завтра в Москве?', language: 'russian' });
      const result = await client.audio.transcriptions.create({
        file: await toFile(VOICE, 'voice.ogg', { type: 'audio/ogg' }),
        model: 'whisper-1',
        response_format: 'verbose_json',
      });
      expect(result).toMatchObject({ text: 'Привет, Кракен! Какая погода будет завтра в Москве?', language: 'russian', usage: { type: 'duration', seconds: 5 } });
      expect(result.duration).toBeCloseTo(4.4085, 3); // espeak-ng's WAV was 4.408 s: granule position minus Opus pre-skip
      const [request] = llm.transcriptionRequests;
      expect(request.file?.data.equals(VOICE)).toBe(true);
      expect(request.file).toMatchObject({ filename: 'voice.ogg', mimeType: 'audio/ogg' });
      expect(request.fields).toMatchObject({ model: 'whisper-1', response_format: 'verbose_json' });
    });

    test('json and text formats; the language code maps to its name', async () => {
      const json = await client.audio.transcriptions.create({ file: await toFile(VOICE, 'a.oga'), model: 'gpt-4o-transcribe' });
      expect(json.text).toBe('Transcript #1');
      const text = await client.audio.transcriptions.create({ file: await toFile(VOICE, 'a.ogg'), model: 'whisper-1', response_format: 'text' });
      expect(text).toBe('Transcript #2\n');
      const verbose = await client.audio.transcriptions.create({ file: await toFile(VOICE, 'a.ogg'), model: 'whisper-1', language: 'ru', response_format: 'verbose_json' });
      expect(verbose.language).toBe('russian');
    });

    test('a corrupt OGG and an unsupported container are refused as OpenAI does; failures can be scripted', async () => {
      const corrupt = await client.audio.transcriptions
        .create({ file: await toFile(VOICE.subarray(0, VOICE.length - 100), 'cut.ogg'), model: 'whisper-1' })
        .catch((e: unknown) => e);
      expect(corrupt).toBeInstanceOf(BadRequestError);
      expect((corrupt as BadRequestError).message).toMatch(/corrupted or unsupported/);
      const container = await client.audio.transcriptions.create({ file: await toFile(VOICE, 'voice.opus'), model: 'whisper-1' }).catch((e: unknown) => e);
      expect((container as BadRequestError).message).toMatch(/^400 Invalid file format\. Supported formats: \['flac'/);
      llm.scriptTranscriptions({ status: 503 });
      await expect(client.audio.transcriptions.create({ file: await toFile(VOICE, 'v.ogg'), model: 'whisper-1' })).rejects.toMatchObject({ status: 503 });
      expect(llm.transcriptionRequests).toHaveLength(3);
    });

    test('oggOpusDuration reads the fixture and rejects other bytes', () => {
      expect(oggOpusDuration(VOICE)).toBeCloseTo(4.4085, 3);
      expect(oggOpusDuration(PHOTO)).toBeUndefined();
    });
  });

  describe('image generations', () => {
    test('gpt-image models answer b64_json with a real PNG of the requested size and token usage', async () => {
      const result = await client.images.generate({ model: 'gpt-image-1', prompt: 'a kraken', size: '1024x1536' });
      const png = Buffer.from(result.data![0].b64_json!, 'base64');
      expect(pngSize(png)).toEqual({ signature: '89504e470d0a1a0a', width: 1024, height: 1536 });
      expect(png.equals(llm.imageRequests[0].output[0])).toBe(true);
      expect(result.usage).toMatchObject({ output_tokens: 272 });
      expect(llm.imageRequests[0].body).toMatchObject({ model: 'gpt-image-1', prompt: 'a kraken', size: '1024x1536' });
    });

    test('dall-e answers a URL served by the fake unless b64_json is asked; failures can be scripted', async () => {
      const result = await client.images.generate({ model: 'dall-e-3', prompt: 'a squid', n: 1, size: '1024x1024' });
      const fetched = await fetch(result.data![0].url!);
      expect(fetched.headers.get('content-type')).toBe('image/png');
      expect(Buffer.from(await fetched.arrayBuffer()).equals(llm.imageRequests[0].output[0])).toBe(true);
      const inline = await client.images.generate({ model: 'dall-e-2', prompt: 'two', n: 2, size: '256x256', response_format: 'b64_json' });
      expect(inline.data!.map((image) => pngSize(Buffer.from(image.b64_json!, 'base64')).width)).toEqual([256, 256]);
      llm.scriptImages({ status: 400, message: 'Your request was rejected by the safety system.', code: 'content_policy_violation' });
      const refused = await client.images.generate({ model: 'dall-e-3', prompt: 'bad' }).catch((e: unknown) => e);
      expect((refused as BadRequestError).code).toBe('content_policy_violation');
    });
  });
});
