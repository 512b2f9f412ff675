import { HttpException, HttpStatus, Injectable, type PipeTransform } from '@nestjs/common';
import type { z } from 'zod';
import { errorBody, type FieldError } from './error-body';

/** A request part that failed its zod schema: answered 400 with the failing fields. */
export class RequestValidationError extends HttpException {
  constructor(readonly fields: FieldError[]) {
    super(errorBody(HttpStatus.BAD_REQUEST, `invalid request: ${fields.map((f) => (f.path ? `${f.path}: ${f.message}` : f.message)).join('; ')}`, fields), HttpStatus.BAD_REQUEST);
  }
}

/** zod issues → FieldErrors (unknown keys are reported one per key, as `role: unknown field`). */
export function fieldErrors(error: z.ZodError): FieldError[] {
  return error.issues.flatMap((issue) => {
    const path = issue.path.map(String).join('.');
    if (issue.code === 'unrecognized_keys') return issue.keys.map((key) => ({ path: path ? `${path}.${key}` : key, message: 'unknown field' }));
    return [{ path, message: issue.message }];
  });
}

/**
 * Validates (and transforms: trims, normalises, coerces) a request body, query or parameter with a zod
 * schema. Object schemas are `.strict()`, so unknown fields (`role`, say) are refused.
 * @throws RequestValidationError (400) listing every failing field
 */
@Injectable()
export class ZodPipe<S extends z.ZodType> implements PipeTransform<unknown, z.output<S>> {
  constructor(private readonly schema: S) {}

  transform(value: unknown): z.output<S> {
    const result = this.schema.safeParse(value);
    if (!result.success) throw new RequestValidationError(fieldErrors(result.error));
    return result.data;
  }
}
