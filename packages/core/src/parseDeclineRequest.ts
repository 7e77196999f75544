import { InvalidMessageError, type InvalidMessageField } from './errors.js';

/** A validated request to decline one application. Both ids are safe to put in a key. */
export interface DeclineRequest {
  /** The job the application belongs to. */
  readonly jobId: string;
  /** The application to decline (the body's `id`). */
  readonly applicationId: string;
}

/** Largest body accepted, in UTF-16 code units; a decline request is a few dozen. */
export const MAX_BODY_LENGTH = 16_384;
/** Longest id accepted. */
export const MAX_ID_LENGTH = 128;
/**
 * What an id may contain: letters, digits and `_ . : @ -`. No `#` (the key separator), no
 * whitespace, no control characters, nothing that could address another item's key.
 */
export const ID_PATTERN = /^[A-Za-z0-9_.:@-]+$/;

const FORBIDDEN_KEYS = ['__proto__', 'constructor', 'prototype'] as const;

/**
 * Parses and validates an SQS message body of the form `{"jobId": ..., "id": ...}`.
 *
 * Ids may be non-empty strings or non-negative safe integers (integers become their
 * decimal string). Other keys are ignored, except `__proto__`, `constructor` and
 * `prototype`, which are rejected.
 *
 * @param body - the raw message body.
 * @returns the request with both ids as strings.
 * @throws InvalidMessageError (permanent) saying which field is wrong and why.
 * @example
 * ```ts
 * import { parseDeclineRequest } from '@batch-decline/core';
 *
 * parseDeclineRequest('{"jobId": "job-1", "id": 42}'); // { jobId: 'job-1', applicationId: '42' }
 * ```
 */
export function parseDeclineRequest(body: unknown): DeclineRequest {
  if (typeof body !== 'string') {
    throw invalid('body', `must be a string, got ${body === null ? 'null' : typeof body}`, '');
  }
  const excerpt = sanitizeExcerpt(body);
  if (body.length > MAX_BODY_LENGTH) {
    throw invalid('body', `is ${body.length} characters long; at most ${MAX_BODY_LENGTH} are accepted`, excerpt);
  }
  if (body.trim() === '') throw invalid('body', 'is empty', excerpt);
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch (cause) {
    throw invalid('body', 'is not valid JSON', excerpt, cause);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    const got = parsed === null ? 'null' : Array.isArray(parsed) ? 'an array' : `a ${typeof parsed}`;
    throw invalid('body', `must be a JSON object like {"jobId": ..., "id": ...}, got ${got}`, excerpt);
  }
  for (const key of FORBIDDEN_KEYS) {
    if (Object.prototype.hasOwnProperty.call(parsed, key)) {
      throw invalid('body', `must not contain the key "${key}"`, excerpt);
    }
  }
  const object = parsed as Record<string, unknown>;
  return {
    jobId: parseId(object, 'jobId', excerpt),
    applicationId: parseId(object, 'id', excerpt),
  };
}

/**
 * Checks one id the way {@link parseDeclineRequest} does, for producers that build
 * requests from values rather than message bodies.
 *
 * @param value - a string or a non-negative safe integer.
 * @param field - the field name to report.
 * @returns the id as a string.
 * @throws InvalidMessageError when the id is not acceptable.
 * @example
 * ```ts
 * import { validateId } from '@batch-decline/core';
 *
 * validateId(17, 'jobId'); // '17'
 * ```
 */
export function validateId(value: unknown, field: 'jobId' | 'id'): string {
  return checkId(value, field, '');
}

function parseId(object: Record<string, unknown>, field: 'jobId' | 'id', excerpt: string): string {
  if (!Object.prototype.hasOwnProperty.call(object, field)) throw invalid(field, 'is missing', excerpt);
  return checkId(object[field], field, excerpt);
}

function checkId(value: unknown, field: 'jobId' | 'id', excerpt: string): string {
  if (typeof value === 'number') {
    if (!Number.isInteger(value)) throw invalid(field, 'must be an integer, got a number with a fraction (or not finite)', excerpt);
    if (!Number.isSafeInteger(value)) throw invalid(field, 'is an integer beyond 2^53 - 1 that JSON numbers cannot carry exactly: send it as a string', excerpt);
    if (value < 0) throw invalid(field, 'must not be negative', excerpt);
    return String(value);
  }
  if (typeof value !== 'string') {
    const got = value === null ? 'null' : Array.isArray(value) ? 'an array' : typeof value;
    throw invalid(field, `must be a string or an integer, got ${got}`, excerpt);
  }
  if (value.length === 0) throw invalid(field, 'is empty', excerpt);
  if (value.length > MAX_ID_LENGTH) {
    throw invalid(field, `is ${value.length} characters long; at most ${MAX_ID_LENGTH} are allowed`, excerpt);
  }
  if (!ID_PATTERN.test(value)) {
    throw invalid(field, `contains ${describeBadCharacter(value)}; only letters, digits and _ . : @ - are allowed`, excerpt);
  }
  return value;
}

function describeBadCharacter(value: string): string {
  for (const char of value) {
    if (ID_PATTERN.test(char)) continue;
    if (char === '#') return 'a "#" (the key separator)';
    if (/\s/u.test(char)) return 'whitespace';
    if (/\p{Cc}/u.test(char)) return 'a control character';
    return `the character U+${char.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`;
  }
  return 'a character that is not allowed';
}

function invalid(field: InvalidMessageField, reason: string, excerpt: string, cause?: unknown): InvalidMessageError {
  return new InvalidMessageError(field, reason, excerpt, cause === undefined ? undefined : { cause });
}

/** At most 32 characters, control characters and non-ASCII shown as `?`. */
function sanitizeExcerpt(body: string): string {
  const head = body.slice(0, 32).replace(/[^\x20-\x7e]/g, '?');
  return body.length > 32 ? `${head}…` : head;
}
