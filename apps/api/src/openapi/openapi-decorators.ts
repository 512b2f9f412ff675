import { STATUS_CODES } from 'node:http';
import { applyDecorators } from '@nestjs/common';
import { ApiBody, ApiResponse } from '@nestjs/swagger';
import type { SchemaName } from './schemas';

/** A reference to a component schema generated from the zod schemas (see buildOpenApiDocument). */
export const ref = (name: SchemaName) => ({ $ref: `#/components/schemas/${name}` });

/** Documents the JSON request body with a component schema. */
export const JsonBody = (name: SchemaName) => ApiBody({ schema: ref(name) });

/** What each error status means for the API, used as its description and example message. */
const ERRORS: Record<number, string> = {
  400: 'invalid request: the failing fields are listed',
  401: 'a valid access token is required',
  403: 'not allowed (blocked account, admins only, or wrong current password)',
  404: 'not found',
  409: 'conflicts with the stored state',
  413: 'the request body is too large (over 64 KB)',
  415: 'expected a JSON body',
  429: 'too many requests or budget used up; see Retry-After',
  503: 'the LLM is not configured or unavailable',
};

/** Documents error answers (ErrorResponse schema, example message) for the given statuses. */
export const ApiErrors = (...statuses: Array<keyof typeof ERRORS>) =>
  applyDecorators(
    ...statuses.map((status) =>
      ApiResponse({
        status,
        description: ERRORS[status],
        content: { 'application/json': { schema: ref('ErrorResponse'), example: { statusCode: status, error: STATUS_CODES[status], message: ERRORS[status] } } },
      }),
    ),
  );

/** Documents a JSON success answer with a component schema. */
export const JsonResponse = (status: number, name: SchemaName, description: string) => ApiResponse({ status, description, schema: ref(name) });
