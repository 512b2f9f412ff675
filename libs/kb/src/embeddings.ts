import OpenAI from 'openai';

/** Texts per `/embeddings` request. */
const EMBED_BATCH = 64;

/** Where embeddings come from: an OpenAI-compatible `/embeddings` endpoint. */
export interface EmbeddingsSettings {
  baseUrl: string;
  apiKey?: string;
  /** Embeddings model, e.g. `text-embedding-3-small` (KB_EMBEDDINGS_MODEL). */
  model: string;
  /** Per-request timeout, ms. */
  timeoutMs: number;
}

/**
 * Embeds texts through an OpenAI-compatible `/embeddings` endpoint (the `openai` SDK, like the chat
 * completions: OpenAI, Ollama, vLLM, OpenRouter …), in batches of 64.
 */
export class EmbeddingsClient {
  private readonly client: OpenAI;

  constructor(readonly settings: EmbeddingsSettings) {
    this.client = new OpenAI({ baseURL: settings.baseUrl, apiKey: settings.apiKey ?? 'not-needed', timeout: settings.timeoutMs, maxRetries: 2 });
  }

  /** One vector per text, in order. @throws the SDK's error when the endpoint fails */
  async embed(texts: readonly string[]): Promise<number[][]> {
    const out: number[][] = [];
    for (let i = 0; i < texts.length; i += EMBED_BATCH) {
      const response = await this.client.embeddings.create({ model: this.settings.model, input: texts.slice(i, i + EMBED_BATCH) as string[] });
      out.push(...[...response.data].sort((a, b) => a.index - b.index).map((d) => d.embedding));
    }
    return out;
  }
}
