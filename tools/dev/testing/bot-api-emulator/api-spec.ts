import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

/**
 * Shapes of the machine-readable Bot API description kept at
 * `<workspace>/shared/telegram-bot-api/api.json` (one entry per method and per type of
 * https://core.telegram.org/bots/api, with parameter names, type names and the "required" flag).
 */
export interface ApiFieldSpec {
  name: string;
  /** Alternatives, e.g. `["Integer", "String"]`, `["Array of MessageEntity"]`, `["InputFile", "String"]`. */
  types: string[];
  required: boolean;
  description?: string;
}

/** One Bot API method: its parameters (absent when it takes none) and return type names. */
export interface ApiMethodSpec {
  name: string;
  fields?: ApiFieldSpec[];
  returns: string[];
  href?: string;
}

/** One Bot API object type; abstract types (InputMedia, ChatMember…) list `subtypes` instead of fields. */
export interface ApiTypeSpec {
  name: string;
  fields?: ApiFieldSpec[];
  subtypes?: string[];
  subtype_of?: string[];
}

/** The whole description file. */
export interface ApiSpec {
  version: string;
  methods: Record<string, ApiMethodSpec>;
  types: Record<string, ApiTypeSpec>;
}

/**
 * Where the spec may sit relative to an ancestor folder: the repository's own fixture copy first, then
 * the workspace's shared folder beside the repository.
 */
const SPEC_RELATIVE_PATHS = [join('test', 'fixtures', 'telegram-bot-api', 'api.json'), join('shared', 'telegram-bot-api', 'api.json')];

/** Environment variable that overrides where the spec is read from (absolute or cwd-relative path). */
export const API_SPEC_PATH_ENV = 'BOT_API_SPEC_PATH';

/**
 * Finds api.json: `explicitPath` if given, else `$BOT_API_SPEC_PATH`, else the first
 * `<ancestor>/test/fixtures/telegram-bot-api/api.json` (the repository's copy) or
 * `<ancestor>/shared/telegram-bot-api/api.json` walking up from `process.cwd()` and then from this
 * file's folder (so it works from the repo root, from a sub-folder, from ts sources and from
 * `dist/`). The repository layout puts it at `<repo>/../shared/telegram-bot-api/api.json`.
 *
 * @returns an absolute path.
 * @throws Error naming every location tried when none exists.
 */
export function resolveApiSpecPath(explicitPath?: string): string {
  const chosen = explicitPath ?? process.env[API_SPEC_PATH_ENV];
  if (chosen) {
    const absolute = resolve(chosen);
    if (!existsSync(absolute)) throw new Error(`Bot API spec not found at ${absolute}`);
    return absolute;
  }
  const tried: string[] = [];
  for (const start of [process.cwd(), __dirname]) {
    for (let dir = resolve(start); ; dir = dirname(dir)) {
      for (const relative of SPEC_RELATIVE_PATHS) {
        const candidate = join(dir, relative);
        if (tried.includes(candidate)) continue;
        tried.push(candidate);
        if (existsSync(candidate)) return candidate;
      }
      if (dirname(dir) === dir) break;
    }
  }
  throw new Error(
    `Bot API spec (api.json) not found; pass specPath or set ${API_SPEC_PATH_ENV}. Tried: ${tried.join(', ')}`,
  );
}

const cache = new Map<string, ApiSpec>();

/**
 * Reads and parses api.json (cached per absolute path: it is ~1 MB and immutable).
 *
 * @throws Error when the file is missing or is not a `{ methods, types }` document.
 */
export function loadApiSpec(path: string): ApiSpec {
  const absolute = resolve(path);
  const cached = cache.get(absolute);
  if (cached) return cached;
  const parsed = JSON.parse(readFileSync(absolute, 'utf8')) as Partial<ApiSpec>;
  if (!parsed || typeof parsed.methods !== 'object' || typeof parsed.types !== 'object') {
    throw new Error(`${absolute} is not a Bot API description (expected { methods, types })`);
  }
  const spec = parsed as ApiSpec;
  cache.set(absolute, spec);
  return spec;
}

/**
 * Old method names Telegram keeps answering (renamed in Bot API 5.3: getChatMembersCount →
 * getChatMemberCount, kickChatMember → banChatMember), lower-cased.
 */
const DEPRECATED_ALIASES: Record<string, string> = {
  getchatmemberscount: 'getchatmembercount',
  kickchatmember: 'banchatmember',
};

/**
 * Method lookup over a spec. Telegram matches method names case-insensitively
 * (`/bot<token>/SENDMESSAGE` works), so lookups go through a lower-cased index.
 */
export class ApiSpecIndex {
  private readonly byLowerName = new Map<string, ApiMethodSpec>();

  constructor(readonly spec: ApiSpec) {
    for (const method of Object.values(spec.methods)) this.byLowerName.set(method.name.toLowerCase(), method);
  }

  /**
   * The method spec for a requested name (any case), or undefined when Telegram has no such method.
   * Deprecated names Telegram still serves resolve to their replacement (Telegraf 4.16's
   * `getChatMembersCount()` still calls `getChatMembersCount`).
   */
  findMethod(name: string): ApiMethodSpec | undefined {
    const lower = name.toLowerCase();
    return this.byLowerName.get(DEPRECATED_ALIASES[lower] ?? lower);
  }

  /** An object type by exact name, or undefined for scalar names (Integer, String…) and unknown names. */
  findType(name: string): ApiTypeSpec | undefined {
    return this.spec.types[name];
  }
}
