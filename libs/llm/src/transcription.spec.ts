import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { FakeLlmServer, ROOT } from '@kraken/testing';
import { LlmUnavailableError } from './llm-errors';
import { readLlmSettings } from './llm-settings';
import { LlmService } from './llm.service';
import { TranscriptionRejectedError } from './transcription';
import type { UsageRecord } from './usage-recorder';

const VOICE = readFileSync(join(ROOT, 'test', 'fixtures', 'assistant', 'voice-ru.ogg'));

describe('LlmService.transcribe against fake OpenAI-compatible providers', () => {
  const a = new FakeLlmServer();
  const b = new FakeLlmServer();
  const rows: UsageRecord[] = [];
  let llm: LlmService;
  const request = (file = VOICE) => ({ file, fileName: 'audio.ogg', model: 'whisper-1', usdPerMinute: 0.006, expectedSeconds: 5, chatId: 1, userId: 2, purpose: 'assistant-voice', requestKey: `k-${rows.length}` });

  beforeAll(async () => {
    await Promise.all([a.start(), b.start()]);
    const settings = readLlmSettings({ LLM_PROVIDERS: 'alpha,beta', LLM_ALPHA_BASE_URL: a.baseUrl, LLM_ALPHA_API_KEY: 'k', LLM_BETA_BASE_URL: b.baseUrl, LLM_BETA_API_KEY: 'k', LLM_MAX_RETRIES: '0', LLM_TIMEOUT_MS: '500' });
    llm = new LlmService(settings, { usage: { record: async (row) => void rows.push(row) } });
  });
  afterEach(() => {
    a.reset();
    b.reset();
    rows.length = 0;
  });
  afterAll(() => Promise.all([a.stop(), b.stop()]));

  test('sends the bytes with verbose_json, reports the detected language and bills the seconds', async () => {
    a.scriptTranscriptions({ text: ' Привет ', language: 'russian', duration: 90 });
    const result = await llm.transcribe(request());
    expect(result).toMatchObject({ text: 'Привет', language: 'russian', seconds: 90, provider: 'alpha', model: 'whisper-1' });
    expect(result.costUsd).toBeCloseTo(0.009, 10);
    expect(a.transcriptionRequests[0].file!.data.equals(VOICE)).toBe(true);
    expect(a.transcriptionRequests[0].fields).toMatchObject({ model: 'whisper-1', response_format: 'verbose_json' });
    expect(rows).toEqual([expect.objectContaining({ requestKey: 'k-0', provider: 'alpha', purpose: 'assistant-voice', promptTokens: 0, completionTokens: 0, costUsd: result.costUsd })]);
  });

  test('a provider outage falls back to the next provider; a timeout everywhere is LlmUnavailableError, unbilled', async () => {
    a.scriptTranscriptions({ status: 503 });
    b.scriptTranscriptions({ text: 'ok' });
    expect((await llm.transcribe(request())).provider).toBe('beta');
    rows.length = 0;
    a.scriptTranscriptions({ hang: true });
    b.scriptTranscriptions({ hang: true });
    await expect(llm.transcribe({ ...request(), timeoutMs: 200 })).rejects.toBeInstanceOf(LlmUnavailableError);
    expect(rows).toEqual([]);
  });

  test('a corrupt file is refused for good: TranscriptionRejectedError, no other provider asked, nothing billed', async () => {
    const error = await llm.transcribe(request(Buffer.from('OggS-not-really'))).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TranscriptionRejectedError);
    expect((error as TranscriptionRejectedError).status).toBe(400);
    expect(a.transcriptionRequests).toHaveLength(1);
    expect(b.transcriptionRequests).toHaveLength(0);
    expect(rows).toEqual([]);
  });
});
