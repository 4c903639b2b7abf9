import {z} from 'zod';
import {ApiError} from '../errors.js';

/** Parses a body or query at the edge; extra or wrong fields are refused, never ignored. */
export function parse<T extends z.ZodType>(schema: T, input: unknown): z.infer<T> {
  const result = schema.safeParse(input ?? {});
  if (result.success) return result.data;
  const fields: Record<string, string> = {};
  for (const issue of result.error.issues) {
    const path = issue.path.join('.') || '(body)';
    fields[path] ??= issue.message;
  }
  throw new ApiError(400, 'invalid_request', 'The request does not match the API', {fields});
}
