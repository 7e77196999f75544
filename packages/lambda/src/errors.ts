import type { BatchReport } from '@batch-decline/core';

/**
 * Base class of the errors `@batch-decline/lambda` throws.
 *
 * @example
 * ```ts
 * import { LambdaAdapterError } from '@batch-decline/lambda';
 *
 * if (error instanceof LambdaAdapterError) console.error(error.name);
 * ```
 */
export class LambdaAdapterError extends Error {
  override readonly name: string = 'LambdaAdapterError';
}

/**
 * The event is not an SQS event: no `Records` array, or a record that did not come from
 * `aws:sqs`. Thrown before any record is processed, so nothing is half done.
 *
 * @example
 * ```ts
 * import { InvalidEventError } from '@batch-decline/lambda';
 *
 * if (error instanceof InvalidEventError) console.error(error.reason);
 * ```
 */
export class InvalidEventError extends LambdaAdapterError {
  override readonly name = 'InvalidEventError' as const;
  /** What is wrong with the event. */
  readonly reason: string;

  /**
   * Creates the error.
   *
   * @param reason - what is wrong with the event.
   */
  constructor(reason: string) {
    super(`Not an SQS event: ${reason}`);
    this.reason = reason;
  }
}

/**
 * Every record of the batch failed: thrown (instead of returning every message as a
 * failure) so that Lambda's event source mapping backs off.
 *
 * @example
 * ```ts
 * import { FullBatchFailureError } from '@batch-decline/lambda';
 *
 * if (error instanceof FullBatchFailureError) console.error(error.failedIds.length);
 * ```
 */
export class FullBatchFailureError extends LambdaAdapterError {
  override readonly name = 'FullBatchFailureError' as const;
  /** The ids of the records to retry (all of them). */
  readonly failedIds: readonly string[];
  /** The batch report. */
  readonly report: BatchReport;

  /**
   * Creates the error.
   *
   * @param report - the batch report.
   * @param failedIds - the ids that would have been reported.
   */
  constructor(report: BatchReport, failedIds: readonly string[]) {
    const first = report.results.find((result) => result.status === 'failed');
    super(`All ${failedIds.length} records of the batch failed`, {
      cause: first?.status === 'failed' ? first.error : undefined,
    });
    this.failedIds = failedIds;
    this.report = report;
  }
}
