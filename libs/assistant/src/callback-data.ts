import { ASSISTANT_CALLBACK_PREFIX } from '@kraken/contracts';
import { ASSISTANT_MODES, type AssistantMode } from './modes';

/**
 * What an assistant button does. Session actions carry the session id (checked against the presser
 * by the worker); model and mode choices apply to the presser's current session.
 */
export type AssistantAction =
  | { action: 'switch' | 'rename' | 'delete'; sessionId: string }
  | { action: 'model'; model: string }
  | { action: 'mode'; mode: AssistantMode };

const CODES = { switch: 'sw', rename: 'rn', delete: 'del', model: 'm', mode: 'mo' } as const;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** The Bot API's limit of callback_data, in bytes. */
export const CALLBACK_DATA_MAX_BYTES = 64;

/** The callback data of `action` (`as:<code>:<argument>`), or null when it would pass 64 bytes (a long model id). */
export function assistantCallbackData(action: AssistantAction): string | null {
  const argument = action.action === 'model' ? action.model : action.action === 'mode' ? action.mode : action.sessionId;
  const data = `${ASSISTANT_CALLBACK_PREFIX}${CODES[action.action]}:${argument}`;
  return Buffer.byteLength(data) <= CALLBACK_DATA_MAX_BYTES ? data : null;
}

/**
 * Reads callback data made by assistantCallbackData. @returns the action, or null for anything else
 * (a forged or stale payload: unknown code, a session argument that is not a UUID, an unknown mode).
 * A model id is only checked for shape here; the registry decides whether it is offered.
 */
export function parseAssistantCallback(data: string): AssistantAction | null {
  if (!data.startsWith(ASSISTANT_CALLBACK_PREFIX)) return null;
  const rest = data.slice(ASSISTANT_CALLBACK_PREFIX.length);
  const colon = rest.indexOf(':');
  if (colon < 0) return null;
  const code = rest.slice(0, colon);
  const argument = rest.slice(colon + 1);
  switch (code) {
    case CODES.switch:
    case CODES.rename:
    case CODES.delete: {
      if (!UUID.test(argument)) return null;
      const action = code === CODES.switch ? 'switch' : code === CODES.rename ? 'rename' : 'delete';
      return { action, sessionId: argument.toLowerCase() };
    }
    case CODES.model:
      return /^[\w.:/-]{1,64}$/.test(argument) ? { action: 'model', model: argument } : null;
    case CODES.mode:
      return (ASSISTANT_MODES as readonly string[]).includes(argument) ? { action: 'mode', mode: argument as AssistantMode } : null;
    default:
      return null;
  }
}
