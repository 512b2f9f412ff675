import type { ApiSpecIndex, ApiTypeSpec } from './api-spec';
import type { UploadedFile } from './emulator-types';

/** Marks a parameter that arrived as a multipart file part rather than as a value. */
export const UPLOADED_FILE = Symbol('uploaded file');

/**
 * Result of coercing one value to one Bot API type name. `specific` tells that the value had the
 * right shape and a more precise reason is known (e.g. an InputMediaPhoto missing `media`), so
 * that reason is worth reporting over a generic "must be of type X".
 */
export type Coercion = { ok: true; value: unknown } | { ok: false; reason?: string; specific?: boolean };

/** What coercion needs besides the value: the type catalogue and the request's file parts. */
export interface CoercionContext {
  index: ApiSpecIndex;
  files: Record<string, UploadedFile>;
}

const ARRAY_PREFIX = 'Array of ';

/**
 * Coerces `value` to one of `typeNames` (alternatives from api.json, e.g. `["Integer","String"]`),
 * trying them in order. Form, query and multipart encodings carry every value as a string, so
 * strings are converted the way Telegram does: `"123"` → Integer, `"true"`/`"false"`/`"1"`/`"0"` →
 * Boolean, JSON text → arrays and objects. Numbers are accepted for String (Telegram reads all
 * parameters as text). Object types are checked one level deep: required fields present and the
 * discriminator (`type`, `source`… documented as "must be x") equal to the expected value.
 * A union of array types (sendMediaGroup's media) is checked element-wise, so an album may mix
 * InputMediaPhoto and InputMediaVideo items as Telegram allows.
 */
export function coerceToAny(value: unknown, typeNames: string[], ctx: CoercionContext): Coercion {
  if (typeNames.length > 1 && typeNames.every((name) => name.startsWith(ARRAY_PREFIX))) {
    return coerceArray(
      value,
      typeNames.map((name) => name.slice(ARRAY_PREFIX.length)),
      ctx,
    );
  }
  const failures: Coercion[] = [];
  for (const name of typeNames) {
    const result = coerceTo(value, name, ctx);
    if (result.ok) return result;
    failures.push(result);
  }
  return pickFailure(failures);
}

/** The most informative failure: a specific one, else the only one, else a bare mismatch. */
function pickFailure(failures: Coercion[]): Coercion {
  const specific = failures.find((failure) => !failure.ok && failure.specific);
  if (specific) return specific;
  return failures.length === 1 ? failures[0] : { ok: false };
}

/** Coerces to a single type name (scalar, InputFile, `Array of …` or object type). */
function coerceTo(value: unknown, typeName: string, ctx: CoercionContext): Coercion {
  if (typeName.startsWith(ARRAY_PREFIX)) return coerceArray(value, [typeName.slice(ARRAY_PREFIX.length)], ctx);
  switch (typeName) {
    case 'Integer':
      return coerceInteger(value);
    case 'Float':
      return coerceFloat(value);
    case 'Boolean':
      return coerceBoolean(value);
    case 'String':
      if (typeof value === 'string') return { ok: true, value };
      if (typeof value === 'number' && Number.isFinite(value)) return { ok: true, value: String(value) };
      return { ok: false };
    case 'InputFile':
      if (value === UPLOADED_FILE) return { ok: true, value };
      if (typeof value === 'string' && value.startsWith('attach://') && ctx.files[value.slice(9)]) {
        return { ok: true, value };
      }
      return { ok: false };
    default: {
      const type = ctx.index.findType(typeName);
      return type ? coerceObject(value, type, ctx) : { ok: true, value };
    }
  }
}

function coerceInteger(value: unknown): Coercion {
  if (typeof value === 'number' && Number.isInteger(value)) return { ok: true, value };
  if (typeof value === 'string' && /^\s*[+-]?\d+\s*$/.test(value)) {
    const parsed = Number(value);
    if (Number.isSafeInteger(parsed)) return { ok: true, value: parsed };
  }
  return { ok: false };
}

function coerceFloat(value: unknown): Coercion {
  if (typeof value === 'number' && Number.isFinite(value)) return { ok: true, value };
  if (typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value))) {
    return { ok: true, value: Number(value) };
  }
  return { ok: false };
}

function coerceBoolean(value: unknown): Coercion {
  if (typeof value === 'boolean') return { ok: true, value };
  if (value === 1 || value === 0) return { ok: true, value: value === 1 };
  if (typeof value === 'string') {
    const lower = value.trim().toLowerCase();
    if (lower === 'true' || lower === '1') return { ok: true, value: true };
    if (lower === 'false' || lower === '0') return { ok: true, value: false };
  }
  return { ok: false };
}

/** Parses JSON text if `value` is a string (form encodings); returns the value unchanged otherwise. */
function parseJsonText(value: unknown): unknown {
  if (typeof value !== 'string') return value;
  try {
    return JSON.parse(value);
  } catch {
    return value;
  }
}

function coerceArray(value: unknown, itemTypes: string[], ctx: CoercionContext): Coercion {
  const parsed = parseJsonText(value);
  if (!Array.isArray(parsed)) return { ok: false };
  const items: unknown[] = [];
  for (let i = 0; i < parsed.length; i++) {
    const item = coerceToAny(parsed[i], itemTypes, ctx);
    if (!item.ok) return { ok: false, specific: true, reason: `item ${i}${item.reason ? `: ${item.reason}` : ` must be ${itemTypes.join(' or ')}`}` };
    items.push(item.value);
  }
  return { ok: true, value: items };
}

/**
 * The value a discriminator field must have, read from its documentation
 * ("Type of the media, must be photo", "Scope type, must be default").
 */
function discriminatorOf(type: ApiTypeSpec): { field: string; value: string } | undefined {
  for (const field of type.fields ?? []) {
    if (!field.required || !field.types.includes('String')) continue;
    const match = /must be[ “"]*([a-z_]+)[”"]*\s*$/.exec(field.description ?? '');
    if (match) return { field: field.name, value: match[1] };
  }
  return undefined;
}

function coerceObject(value: unknown, type: ApiTypeSpec, ctx: CoercionContext): Coercion {
  const parsed = parseJsonText(value);
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) return { ok: false };
  const object = parsed as Record<string, unknown>;
  if (type.subtypes?.length) {
    const failures: Coercion[] = [];
    for (const name of type.subtypes) {
      const subtype = ctx.index.findType(name);
      if (!subtype) continue;
      const result = coerceObject(object, subtype, ctx);
      if (result.ok) return result;
      failures.push(result);
    }
    const failure = pickFailure(failures);
    return failure.ok || failure.specific ? failure : { ok: false, reason: `must be one of ${type.subtypes.join(', ')}` };
  }
  const discriminator = discriminatorOf(type);
  if (discriminator && object[discriminator.field] !== discriminator.value) {
    return { ok: false, reason: `field "${discriminator.field}" must be "${discriminator.value}"` };
  }
  for (const field of type.fields ?? []) {
    if (field.required && (object[field.name] === undefined || object[field.name] === null)) {
      return { ok: false, specific: discriminator !== undefined, reason: `field "${field.name}" of ${type.name} is required` };
    }
  }
  return { ok: true, value: object };
}
