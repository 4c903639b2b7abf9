import {z} from 'zod';
import type {ErrorCode} from '../../common/contract.js';
import {ApiError} from '../errors.js';

/**
 * Parses a body or query at the edge; extra or wrong fields are refused, never ignored. The
 * error names each bad field (dotted path; an unknown field by its own name). Most requests
 * answer 400 `invalid_request`; a form's save passes 422 `validation_failed`.
 */
export function parse<T extends z.ZodType>(
  schema: T,
  input: unknown,
  refusal: {status: number; code: ErrorCode; message: string} = {
    status: 400,
    code: 'invalid_request',
    message: 'The request does not match the API',
  },
): z.output<T> {
  const result = schema.safeParse(input ?? {});
  if (result.success) return result.data;
  // A Map, not an object literal: a refused key may be `__proto__` or `constructor`, which an
  // object would answer from its prototype (and so never name) instead of holding as a field.
  const fields = new Map<string, string>();
  for (const issue of result.error.issues) {
    const keys = issue.code === 'unrecognized_keys' ? issue.keys : [''];
    for (const key of keys) {
      const path = [...issue.path, key].filter((p) => p !== '').join('.') || '(body)';
      if (!fields.has(path)) {
        fields.set(path, issue.code === 'unrecognized_keys' ? 'unknown field' : issue.message);
      }
    }
  }
  // fromEntries defines own properties, `__proto__` included, which JSON.stringify then sends.
  throw new ApiError(refusal.status, refusal.code, refusal.message, {
    fields: Object.fromEntries(fields),
  });
}
