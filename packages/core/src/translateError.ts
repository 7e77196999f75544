import { BatchDeclineError, TransientError } from './errors.js';

/**
 * Turns an error from an AWS SDK call into a library error. Errors the library already
 * threw pass through; everything else (throttling, network, 5xx, unknown, an aborted
 * call) becomes a {@link TransientError} carrying the service's code and the original
 * error as `cause`.
 *
 * @param error - what the SDK call rejected with.
 * @param operation - what was being done, e.g. `DynamoDB UpdateItem`.
 * @returns an error to throw.
 * @internal
 */
export function translateError(error: unknown, operation: string): Error {
  if (error instanceof BatchDeclineError) return error;
  const code = errorCode(error);
  const message = error instanceof Error ? error.message : String(error);
  return new TransientError(`${operation} failed (${code}): ${message}`, code, { cause: error });
}

function errorCode(error: unknown): string {
  if (typeof error !== 'object' || error === null) return 'UnknownError';
  const { name, code } = error as { name?: unknown; code?: unknown };
  // Node's network errors carry `code` (ECONNREFUSED, ECONNRESET, ...); SDK errors carry `name`.
  if (typeof code === 'string' && code !== '') return code;
  if (typeof name === 'string' && name !== '' && name !== 'Error') return name;
  return 'UnknownError';
}
