import { readFileSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import type { ModelPrice } from '@kraken/config';
import type { PrismaClient } from '@kraken/db';
import { Logger } from '@nestjs/common';
import { z } from 'zod';
import type { LlmSettings } from './llm-settings';

/** The request parameter that caps a model's output tokens. */
export const OUTPUT_LIMIT_PARAMS = ['max_tokens', 'max_completion_tokens'] as const;
export type OutputLimitParam = (typeof OUTPUT_LIMIT_PARAMS)[number];

/** What Kraken knows of one model (a row of the registry, table LlmModel). Prices in USD per 1M tokens. */
export interface ModelSpec {
  id: string;
  /** Provider family (`openai`, `groq` …); informative. */
  provider: string;
  /** Context window in tokens (prompt plus output). */
  contextWindow: number;
  outputLimitParam: OutputLimitParam;
  inputUsdPerM: number;
  /** Price of cached prompt tokens; null: the provider does not discount them. */
  cachedInputUsdPerM: number | null;
  outputUsdPerM: number;
  vision: boolean;
  transcription: boolean;
  imageGeneration: boolean;
  responsesApi: boolean;
  streaming: boolean;
  /** Offered by `/model`. */
  enabled: boolean;
  /** False for the safe defaults given to a model the registry does not know. */
  known: boolean;
}

/**
 * The spec of a model missing from the registry: a small window (8,192 tokens, so prompts stay
 * short), `max_tokens`, no capabilities, price 0 (its cost is not known).
 */
export function unknownModelSpec(id: string): ModelSpec {
  return {
    id,
    provider: 'unknown',
    contextWindow: 8192,
    outputLimitParam: 'max_tokens',
    inputUsdPerM: 0,
    cachedInputUsdPerM: null,
    outputUsdPerM: 0,
    vision: false,
    transcription: false,
    imageGeneration: false,
    responsesApi: false,
    streaming: false,
    enabled: false,
    known: false,
  };
}

const price = z.number().min(0).max(100_000);

/** One model of the seed file (config/models.json); capabilities default to false, streaming to true. */
export const ModelSeedSchema = z.object({
  id: z.string().min(1).max(128),
  provider: z.string().min(1).max(64),
  contextWindow: z.number().int().min(256),
  outputLimitParam: z.enum(OUTPUT_LIMIT_PARAMS).default('max_tokens'),
  inputUsdPerM: price,
  cachedInputUsdPerM: price.optional(),
  outputUsdPerM: price,
  vision: z.boolean().default(false),
  transcription: z.boolean().default(false),
  imageGeneration: z.boolean().default(false),
  responsesApi: z.boolean().default(false),
  streaming: z.boolean().default(true),
  enabled: z.boolean().default(true),
});
export type ModelSeed = z.infer<typeof ModelSeedSchema>;

const SeedFileSchema = z.object({ models: z.array(ModelSeedSchema) });

/**
 * Reads the registry's seed file (`{ "models": [ModelSeed…] }`), `path` absolute or relative to `root`.
 * @throws Error naming the file when it cannot be read or does not match the schema
 */
export function readModelSeed(path: string, root: string = process.cwd()): ModelSeed[] {
  const file = isAbsolute(path) ? path : join(root, path);
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new Error(`model registry seed ${file}: ${error instanceof Error ? error.message : String(error)}`);
  }
  const parsed = SeedFileSchema.safeParse(raw);
  if (!parsed.success) throw new Error(`model registry seed ${file}: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  return parsed.data.models;
}

type LlmModelRow = Awaited<ReturnType<PrismaClient['llmModel']['findFirstOrThrow']>>;

function specOf(row: LlmModelRow): ModelSpec {
  return {
    id: row.id,
    provider: row.provider,
    contextWindow: row.contextWindow,
    outputLimitParam: row.outputLimitParam,
    inputUsdPerM: Number(row.inputUsdPerM),
    cachedInputUsdPerM: row.cachedInputUsdPerM === null ? null : Number(row.cachedInputUsdPerM),
    outputUsdPerM: Number(row.outputUsdPerM),
    vision: row.vision,
    transcription: row.transcription,
    imageGeneration: row.imageGeneration,
    responsesApi: row.responsesApi,
    streaming: row.streaming,
    enabled: row.enabled,
    known: true,
  };
}

/** The model registry in PostgreSQL (`LlmModel`), with Prisma's typed client. */
export class ModelRegistryRepository {
  constructor(private readonly prisma: Pick<PrismaClient, 'llmModel'>) {}

  /**
   * Inserts the seed's models that the table does not hold yet (`skipDuplicates`: INSERT … ON
   * CONFLICT DO NOTHING), so an admin's edits survive restarts. Idempotent.
   * @returns how many rows were inserted. @throws the database error
   */
  async seed(models: readonly ModelSeed[]): Promise<number> {
    if (models.length === 0) return 0;
    const { count } = await this.prisma.llmModel.createMany({
      data: models.map((m) => ({ ...m, cachedInputUsdPerM: m.cachedInputUsdPerM ?? null })),
      skipDuplicates: true,
    });
    return count;
  }

  /** The spec of model `id`, or null when the table has no such row. @throws the database error */
  async find(id: string): Promise<ModelSpec | null> {
    const row = await this.prisma.llmModel.findUnique({ where: { id } });
    return row ? specOf(row) : null;
  }

  /** Every model (`enabledOnly`: those `/model` offers), by provider then id. @throws the database error */
  async list(enabledOnly = false): Promise<ModelSpec[]> {
    const rows = await this.prisma.llmModel.findMany({ where: enabledOnly ? { enabled: true } : {}, orderBy: [{ provider: 'asc' }, { id: 'asc' }] });
    return rows.map(specOf);
  }
}

/**
 * Looks models up in the registry. A model the registry does not know (removed, or a typo in
 * CHAT_MODEL) gets unknownModelSpec and one warning per id per process — never an exception.
 */
export class ModelRegistry {
  private readonly logger = new Logger(ModelRegistry.name);
  private readonly warned = new Set<string>();

  constructor(private readonly repository: ModelRegistryRepository) {}

  /** The spec of `id`, or the safe defaults. @throws the database error */
  async spec(id: string): Promise<ModelSpec> {
    const found = await this.repository.find(id);
    if (found) return found;
    if (!this.warned.has(id)) {
      this.warned.add(id);
      this.logger.warn({ model: id }, 'model not in the registry (LlmModel): using safe defaults (8192-token window, price 0)');
    }
    return unknownModelSpec(id);
  }

  /** The models `/model` offers. @throws the database error */
  offered(): Promise<ModelSpec[]> {
    return this.repository.list(true);
  }
}

/** What a price table is made from: a registry row or a seed entry. */
type Priced = Pick<ModelSeed, 'id' | 'inputUsdPerM' | 'outputUsdPerM'>;

/** The price table (USD per 1M input and output tokens by model id) of registry models or seed entries. */
export function pricesOf(models: readonly Priced[]): Record<string, ModelPrice> {
  return Object.fromEntries(models.map((m) => [m.id, { input: m.inputUsdPerM, output: m.outputUsdPerM }]));
}

/** `settings` with the prices of `models` under its own (LLM_PRICES overrides the registry). */
export function withRegistryPrices(settings: LlmSettings, models: readonly Priced[]): LlmSettings {
  return { ...settings, prices: { ...pricesOf(models), ...settings.prices } };
}

/**
 * The models the price table is made from, read when an app starts: the registry table after seeding
 * it from `seedPath` (ModelRegistryRepository.seed: existing rows kept), or — without PostgreSQL, or
 * when it cannot be reached (logged) — the seed file itself. Prices edited in the table apply from the
 * next start.
 * @throws Error naming the seed file when it cannot be read (the app does not start)
 */
export async function loadRegistryModels(seedPath: string, prisma?: Pick<PrismaClient, 'llmModel'>): Promise<Priced[]> {
  const seed = readModelSeed(seedPath);
  if (!prisma) return seed;
  const repository = new ModelRegistryRepository(prisma);
  try {
    await repository.seed(seed);
    return await repository.list();
  } catch (error) {
    new Logger(ModelRegistry.name).warn(`model registry not read (pricing from ${seedPath}): ${error instanceof Error ? error.message : String(error)}`);
    return seed;
  }
}
