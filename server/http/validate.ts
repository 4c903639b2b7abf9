import {z} from 'zod';
import type {ErrorCode, FieldError, FieldProblem} from '../../common/contract.js';
import {ApiError} from '../errors.js';

/**
 * The options of a zod check (`refine`) or the params of a custom issue whose failure is
 * `problem`: `parse` answers it with that code instead of one read from the zod issue.
 */
export function fieldCheck(problem: FieldProblem, message: string) {
  return {message, params: {fieldProblem: problem}};
}

/** A zod issue as the contract's field error: its own code from the billing rules, else zod's. */
function fieldErrorOf(issue: z.core.$ZodIssue): FieldError {
  const message = issue.message;
  switch (issue.code) {
    case 'custom': {
      const problem = (issue.params as {fieldProblem?: FieldProblem} | undefined)?.fieldProblem;
      return {...(problem ?? {code: 'invalid'}), message};
    }
    case 'unrecognized_keys':
      return {code: 'unknown_field', message: 'unknown field'};
    case 'invalid_type':
      // A key left out (or null where a value is needed) is a field left empty.
      return issue.input === undefined || issue.input === null
        ? {code: 'required', message}
        : {code: 'invalid', message};
    case 'too_small':
      return issue.origin === 'string' && Number(issue.minimum) === 1
        ? {code: 'required', message}
        : {code: 'invalid', message};
    case 'too_big':
      return issue.origin === 'string'
        ? {code: 'too_long', params: {max: Number(issue.maximum)}, message}
        : {code: 'invalid', message};
    default:
      return {code: 'invalid', message};
  }
}

/**
 * Parses a body or query at the edge; extra or wrong fields are refused, never ignored. The
 * error names each bad field (dotted path; an unknown field by its own name) with a code of the
 * contract (`FieldErrorCode`) and its params. Most requests answer 400 `invalid_request`; a
 * form's save passes 422 `validation_failed`.
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
  // `reportInput` only tells a missing key from a wrong one; no input is ever sent back.
  const result = schema.safeParse(input ?? {}, {reportInput: true});
  if (result.success) return result.data;
  // A Map, not an object literal: a refused key may be `__proto__` or `constructor`, which an
  // object would answer from its prototype (and so never name) instead of holding as a field.
  const fields = new Map<string, FieldError>();
  for (const issue of result.error.issues) {
    const keys = issue.code === 'unrecognized_keys' ? issue.keys : [''];
    for (const key of keys) {
      const path = [...issue.path, key].filter((p) => p !== '').join('.') || '(body)';
      if (!fields.has(path)) fields.set(path, fieldErrorOf(issue));
    }
  }
  // fromEntries defines own properties, `__proto__` included, which JSON.stringify then sends.
  throw new ApiError(refusal.status, refusal.code, refusal.message, {
    fields: Object.fromEntries(fields),
  });
}
