import { readFileSync } from 'node:fs';
import type { z } from 'zod';
import { exportChatSchema, fullExportSchema, type ExportChat } from './export-schema';

/** At most this many validation problems are listed in an error message. */
const MAX_LISTED_ISSUES = 5;

/**
 * Validates a Telegram Desktop JSON export and returns its chats.
 *
 * Accepts both formats Telegram Desktop writes: a single-chat export (`{name, type, id, messages[]}`,
 * returned as a one-element array) and a full-account export (`{chats: {list: [...]}}`, plus
 * `left_chats.list` when present, in that order). Unknown keys are kept (see `export-schema.ts`).
 *
 * @param json the parsed JSON value (e.g. from `JSON.parse`).
 * @returns the exported chats, in file order.
 * @throws Error `not a Telegram Desktop export: expected "messages" array or "chats.list"` when the
 *   value has neither shape; `invalid Telegram Desktop export: <path>: <problem>; ...` when it has
 *   one of them but a field is wrong (paths look like `chats.list[0].messages[12].date_unixtime`).
 */
export function parseExport(json: unknown): ExportChat[] {
  if (!isRecord(json) || (!Array.isArray(json.messages) && !hasChatList(json))) {
    throw new Error('not a Telegram Desktop export: expected "messages" array or "chats.list"');
  }
  if (Array.isArray(json.messages)) {
    return [validate(exportChatSchema, json)];
  }
  const full = validate(fullExportSchema, json);
  return [...full.chats.list, ...(full.left_chats?.list ?? [])];
}

/**
 * Reads a Telegram Desktop `result.json` from disk and parses it with {@link parseExport}.
 * Synchronous: exports are read once, up front, by CLI commands and tests.
 *
 * @param path file path (absolute, or relative to the process working directory).
 * @throws Error `export file not found: <path>` when it does not exist, `cannot read export file ...`
 *   for other I/O errors, `export file is not valid JSON: <path>: <parser message>` for bad JSON,
 *   and the errors of {@link parseExport}.
 */
export function readExportFile(path: string): ExportChat[] {
  let raw: string;
  try {
    raw = readFileSync(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new Error(`export file not found: ${path}`);
    throw new Error(`cannot read export file ${path}: ${(error as Error).message}`);
  }
  let json: unknown;
  try {
    // Telegram Desktop writes no BOM, but files re-saved by editors sometimes have one.
    json = JSON.parse(raw.replace(/^\uFEFF/, ''));
  } catch (error) {
    throw new Error(`export file is not valid JSON: ${path}: ${(error as Error).message}`);
  }
  return parseExport(json);
}

function validate<T extends z.ZodType>(schema: T, value: unknown): z.output<T> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issues = result.error.issues;
  const listed = issues.slice(0, MAX_LISTED_ISSUES).map((issue) => `${formatPath(issue.path)}: ${issue.message}`);
  const more = issues.length > MAX_LISTED_ISSUES ? `; and ${issues.length - MAX_LISTED_ISSUES} more` : '';
  throw new Error(`invalid Telegram Desktop export: ${listed.join('; ')}${more}`);
}

function formatPath(path: ReadonlyArray<PropertyKey>): string {
  if (path.length === 0) return '(root)';
  return path.reduce<string>((out, key) => {
    if (typeof key === 'number') return `${out}[${key}]`;
    return out ? `${out}.${String(key)}` : String(key);
  }, '');
}

function hasChatList(json: Record<string, unknown>): boolean {
  return isRecord(json.chats) && Array.isArray(json.chats.list);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
