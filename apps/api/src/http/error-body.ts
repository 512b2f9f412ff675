import { STATUS_CODES } from 'node:http';

/** One failing field of a request: its path (`email`, `items.0.name`, or empty for the whole body) and why. */
export interface FieldError {
  path: string;
  message: string;
}

/**
 * The one shape of every error answer: the HTTP status, its standard reason phrase, a message safe
 * to show (never a stack trace or an internal detail), and for validation errors the failing fields.
 */
export interface ErrorBody {
  statusCode: number;
  error: string;
  message: string;
  fields?: FieldError[];
}

/** Builds an ErrorBody for `status` (reason phrase from Node's STATUS_CODES). */
export function errorBody(status: number, message: string, fields?: FieldError[]): ErrorBody {
  return { statusCode: status, error: STATUS_CODES[status] ?? 'Error', message, ...(fields ? { fields } : {}) };
}
