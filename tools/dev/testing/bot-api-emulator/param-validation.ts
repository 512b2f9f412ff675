import type { ApiFieldSpec, ApiMethodSpec, ApiSpecIndex } from './api-spec';
import { badRequest } from './bot-api-error';
import type { RawBotApiRequest } from './request-body';
import { UPLOADED_FILE, coerceToAny } from './value-coercion';

/**
 * Parameters Telegram still accepts although api.json no longer lists them (replaced by
 * reply_parameters in Bot API 7.0 and link_preview_options in 7.0, kept for compatibility),
 * allowed on methods that have the replacement.
 */
const LEGACY_PARAMS: Array<{ name: string; types: string[]; replacedBy: string }> = [
  { name: 'reply_to_message_id', types: ['Integer'], replacedBy: 'reply_parameters' },
  { name: 'allow_sending_without_reply', types: ['Boolean'], replacedBy: 'reply_parameters' },
  { name: 'disable_web_page_preview', types: ['Boolean'], replacedBy: 'link_preview_options' },
];

/**
 * Checks a request against its method's parameter list from api.json and returns the coerced
 * parameters (file parts excluded; see `RecordedCall.files`). Checks, in order:
 * 1. unknown parameter → `Bad Request: unknown parameter "x"` (stricter than Telegram, which
 *    ignores them, to catch typos). `method` is ignored: Telegraf adds it to multipart bodies.
 * 2. missing required parameter → `Bad Request: parameter "chat_id" is required` (an empty string
 *    counts as missing unless the parameter accepts String);
 * 3. types → `Bad Request: parameter "x" must be of type Integer or String`, with a reason for
 *    objects (`… (field "message_id" of ReplyParameters is required)`);
 * 4. `attach://name` references → the part `name` must have been uploaded
 *    (https://core.telegram.org/bots/api#sending-files).
 *
 * @throws BotApiError 400 for the first problem found.
 */
export function validateParams(
  method: ApiMethodSpec,
  index: ApiSpecIndex,
  raw: RawBotApiRequest,
): Record<string, unknown> {
  const fields = new Map<string, ApiFieldSpec>((method.fields ?? []).map((field) => [field.name, field]));
  for (const legacy of LEGACY_PARAMS) {
    if (fields.has(legacy.replacedBy)) fields.set(legacy.name, { name: legacy.name, types: legacy.types, required: false });
  }
  const supplied: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(raw.fields)) {
    if (name === 'method' && !fields.has('method')) continue;
    if (value === undefined || value === null) continue;
    if (!fields.has(name)) throw badRequest(`unknown parameter "${name}"`);
    supplied[name] = value;
  }
  for (const name of Object.keys(raw.files)) {
    const field = fields.get(name);
    if (field && supplied[name] === undefined) supplied[name] = UPLOADED_FILE;
  }

  const params: Record<string, unknown> = {};
  for (const field of fields.values()) {
    const value = supplied[field.name];
    const missing = value === undefined || (value === '' && !field.types.includes('String'));
    if (missing) {
      if (field.required) throw badRequest(`parameter "${field.name}" is required`);
      continue;
    }
    const coerced = coerceToAny(value, field.types, { index, files: raw.files });
    if (!coerced.ok) {
      const reason = coerced.reason ? ` (${coerced.reason})` : '';
      throw badRequest(`parameter "${field.name}" must be of type ${field.types.join(' or ')}${reason}`);
    }
    checkAttachReference(field, coerced.value, raw);
    if (coerced.value !== UPLOADED_FILE) params[field.name] = coerced.value;
  }
  return params;
}

/** An InputFile given as `attach://name` must point at an uploaded part. */
function checkAttachReference(field: ApiFieldSpec, value: unknown, raw: RawBotApiRequest): void {
  if (!field.types.includes('InputFile') || typeof value !== 'string' || !value.startsWith('attach://')) return;
  if (!raw.files[value.slice('attach://'.length)]) {
    throw badRequest(`file for parameter "${field.name}" not found: no multipart part named "${value.slice(9)}"`);
  }
}
