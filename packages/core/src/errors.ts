/**
 * Base class of every error this library throws on purpose.
 *
 * @example
 * ```ts
 * import { BatchDeclineError } from '@batch-decline/core';
 *
 * try { await repository.decline(request); } catch (error) {
 *   if (error instanceof BatchDeclineError) console.error(error.name);
 * }
 * ```
 */
export class BatchDeclineError extends Error {
  override readonly name: string = 'BatchDeclineError';
}

/**
 * A failure that retrying cannot fix: the message goes to the dead-letter queue.
 *
 * `processBatch`'s default classifier reports every `PermanentError` as `'permanent'`.
 *
 * @example
 * ```ts
 * import { PermanentError } from '@batch-decline/core';
 *
 * class JobClosedError extends PermanentError {
 *   override readonly name = 'JobClosedError';
 * }
 * ```
 */
export class PermanentError extends BatchDeclineError {
  override readonly name: string = 'PermanentError';
}

/**
 * A failure worth retrying (throttling, a network fault, a 5xx, an unknown error).
 *
 * Anything that is not a {@link PermanentError} is treated as transient, whether or not
 * it is an instance of this class; the class exists so translated SDK errors carry
 * their service code.
 *
 * @example
 * ```ts
 * import { TransientError } from '@batch-decline/core';
 *
 * if (error instanceof TransientError) console.warn(error.code);
 * ```
 */
export class TransientError extends BatchDeclineError {
  override readonly name: string = 'TransientError';
  /** The service's error code (e.g. `ThrottlingException`), or `UnknownError`. */
  readonly code: string;

  /**
   * Creates the error.
   *
   * @param message - what failed, in words.
   * @param code - the service's error code.
   * @param options - `cause`: the original error.
   */
  constructor(message: string, code: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
  }
}

/** The field of a decline request a rejection is about. */
export type InvalidMessageField = 'body' | 'jobId' | 'id';

/**
 * The message body is not a valid decline request: permanent, never retried.
 *
 * @example
 * ```ts
 * import { InvalidMessageError, parseDeclineRequest } from '@batch-decline/core';
 *
 * try { parseDeclineRequest('{"jobId": "j#1", "id": 2}'); } catch (error) {
 *   if (error instanceof InvalidMessageError) console.log(error.field, error.reason);
 * }
 * ```
 */
export class InvalidMessageError extends PermanentError {
  override readonly name = 'InvalidMessageError' as const;
  /** Which part of the message is wrong. */
  readonly field: InvalidMessageField;
  /** Why, in words a person can act on. */
  readonly reason: string;
  /** At most 32 characters of the body with control characters replaced; never logged by the library. */
  readonly excerpt: string;

  /**
   * Creates the error.
   *
   * @param field - the field that is wrong (`body` for the whole message).
   * @param reason - why it is wrong.
   * @param excerpt - a short, sanitized excerpt of the body.
   * @param options - `cause`: the original error (e.g. a `SyntaxError`).
   */
  constructor(field: InvalidMessageField, reason: string, excerpt: string, options?: { cause?: unknown }) {
    super(`Invalid decline request: ${field === 'body' ? 'the body' : `field "${field}"`} ${reason}`, options);
    this.field = field;
    this.reason = reason;
    this.excerpt = excerpt;
  }
}

/**
 * The application to decline does not exist: permanent, never retried.
 *
 * @example
 * ```ts
 * import { ApplicationNotFoundError } from '@batch-decline/core';
 *
 * if (error instanceof ApplicationNotFoundError) console.log(error.jobId, error.applicationId);
 * ```
 */
export class ApplicationNotFoundError extends PermanentError {
  override readonly name = 'ApplicationNotFoundError' as const;
  /** The job of the missing application. */
  readonly jobId: string;
  /** The missing application's id. */
  readonly applicationId: string;

  /**
   * Creates the error.
   *
   * @param jobId - the job id of the request.
   * @param applicationId - the application id of the request.
   * @param tableName - the table that was searched.
   */
  constructor(jobId: string, applicationId: string, tableName: string) {
    super(`Application ${applicationId} of job ${jobId} does not exist in table ${tableName}`);
    this.jobId = jobId;
    this.applicationId = applicationId;
  }
}

/** Why a record was not started. */
export type NotAttemptedReason = 'aborted' | 'deadline' | 'group-failed';

/**
 * A record that `processBatch` did not start: the batch was aborted, its deadline
 * passed, or an earlier record of its FIFO group failed. Retry it.
 *
 * @example
 * ```ts
 * import { NotAttemptedError } from '@batch-decline/core';
 *
 * if (result.status === 'failed' && result.error instanceof NotAttemptedError) console.log(result.error.reason);
 * ```
 */
export class NotAttemptedError extends BatchDeclineError {
  override readonly name = 'NotAttemptedError' as const;
  /** Why the record was not started. */
  readonly reason: NotAttemptedReason;

  /**
   * Creates the error.
   *
   * @param reason - why the record was not started.
   */
  constructor(reason: NotAttemptedReason) {
    super(
      reason === 'aborted'
        ? 'Not attempted: the batch was aborted'
        : reason === 'deadline'
          ? 'Not attempted: the batch deadline passed'
          : 'Not attempted: an earlier record of the same message group failed',
    );
    this.reason = reason;
  }
}

/**
 * Wraps a non-`Error` value thrown by a handler, so every failure is an `Error`.
 *
 * @example
 * ```ts
 * import { NonErrorThrownError } from '@batch-decline/core';
 *
 * if (error instanceof NonErrorThrownError) console.log(error.thrown);
 * ```
 */
export class NonErrorThrownError extends BatchDeclineError {
  override readonly name = 'NonErrorThrownError' as const;
  /** The value that was thrown. */
  readonly thrown: unknown;

  /**
   * Creates the error.
   *
   * @param thrown - the value that was thrown.
   */
  constructor(thrown: unknown) {
    super(`A non-Error value was thrown: ${describeThrown(thrown)}`);
    this.thrown = thrown;
  }
}

function describeThrown(value: unknown): string {
  if (value === null) return 'null';
  if (typeof value === 'string') return JSON.stringify(value.slice(0, 100));
  if (typeof value === 'object') return Object.prototype.toString.call(value);
  return String(value);
}
