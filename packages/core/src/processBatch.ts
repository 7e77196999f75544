import { setMaxListeners } from 'node:events';
import pLimit from 'p-limit';
import { NonErrorThrownError, NotAttemptedError, PermanentError } from './errors.js';
import { describe } from './describe.js';
import type { BatchRecord, BatchReport, FailureKind, RecordHandler, RecordResult } from './types.js';

/** Options of {@link processBatch}. */
export interface ProcessBatchOptions {
  /**
   * Most handlers running at once, across all FIFO groups.
   * @defaultValue 10
   */
  readonly concurrency?: number;
  /**
   * Aborting it stops new records from starting (they are reported `not-attempted`) and is
   * forwarded to the running handlers' signal.
   * @defaultValue no signal
   */
  readonly signal?: AbortSignal;
  /**
   * Epoch milliseconds after which no record starts; running handlers' signal is aborted then.
   * @defaultValue no deadline
   */
  readonly deadline?: number;
  /**
   * Decides whether a handler's error is worth retrying.
   * @defaultValue `PermanentError` subclasses are `'permanent'`, everything else `'transient'`
   */
  readonly classify?: (error: Error) => FailureKind;
}

/** The defaults of {@link ProcessBatchOptions}. */
export const processBatchDefaults = {
  /** Most handlers running at once. */
  concurrency: 10,
  /** `PermanentError` subclasses are permanent, everything else transient. */
  classify: defaultClassify,
} as const;

/**
 * The default failure classifier: `PermanentError` (and its subclasses, such as
 * `InvalidMessageError`) is permanent; everything else is transient.
 *
 * @param error - the handler's error.
 * @returns `'permanent'` or `'transient'`.
 * @example
 * ```ts
 * import { defaultClassify, InvalidMessageError } from '@batch-decline/core';
 *
 * defaultClassify(new InvalidMessageError('id', 'is empty', '')); // 'permanent'
 * ```
 */
export function defaultClassify(error: Error): FailureKind {
  return error instanceof PermanentError ? 'permanent' : 'transient';
}

/**
 * Runs `handler` on every record with bounded concurrency and reports each outcome.
 *
 * Records with a `groupId` (FIFO) run in order within their group and in parallel across
 * groups; once a record of a group fails, the group's later records are `not-attempted`.
 * Records without a group run in parallel. The promise never rejects because of a handler:
 * the report is complete even when every record fails.
 *
 * @param records - the batch; ids must be unique.
 * @param handler - processes one record; throws to fail it.
 * @param options - concurrency, abort signal, deadline and failure classifier.
 * @returns one result per record in input order, and the ids to retry.
 * @throws TypeError when the arguments are not of the expected shape.
 * @example
 * ```ts
 * import { processBatch } from '@batch-decline/core';
 *
 * const report = await processBatch(
 *   [{ id: 'm1', body: '{"jobId":"1","id":"2"}' }],
 *   async (record) => JSON.parse(record.body),
 *   { concurrency: 5 },
 * );
 * console.log(report.failedIds); // []
 * ```
 */
export async function processBatch<T>(
  records: readonly BatchRecord[],
  handler: RecordHandler<T>,
  options: ProcessBatchOptions = {},
): Promise<BatchReport<T>> {
  validate(records, handler, options);
  const concurrency = options.concurrency ?? processBatchDefaults.concurrency;
  const classify = options.classify ?? processBatchDefaults.classify;
  const { deadline, signal: outerSignal } = options;

  const controller = new AbortController();
  // Every running handler may listen on the signal (the AWS SDK does, once per call): allow
  // that many without Node's "possible memory leak" warning.
  setMaxListeners(concurrency * 4 + 10, controller.signal);
  const abort = (reason: unknown) => controller.abort(reason);
  const onOuterAbort = () => abort(outerSignal?.reason);
  if (outerSignal?.aborted) abort(outerSignal.reason);
  else outerSignal?.addEventListener('abort', onOuterAbort, { once: true });
  let timer: NodeJS.Timeout | undefined;
  if (deadline !== undefined && !controller.signal.aborted) {
    const ms = deadline - Date.now();
    if (ms <= 0) abort(new NotAttemptedError('deadline'));
    else {
      timer = setTimeout(() => abort(new NotAttemptedError('deadline')), ms);
      timer.unref?.();
    }
  }

  const results = new Array<RecordResult<T>>(records.length);
  const limit = pLimit(concurrency);

  const notAttempted = (record: BatchRecord, reason: NotAttemptedError['reason']): RecordResult<T> => ({
    record,
    status: 'failed',
    error: new NotAttemptedError(reason),
    kind: 'not-attempted',
  });

  const run = async (index: number): Promise<RecordResult<T>> => {
    const record = records[index]!;
    if (controller.signal.aborted) {
      return notAttempted(record, outerSignal?.aborted ? 'aborted' : 'deadline');
    }
    if (deadline !== undefined && Date.now() >= deadline) return notAttempted(record, 'deadline');
    try {
      const value = await handler(record, { signal: controller.signal });
      return { record, status: 'succeeded', value };
    } catch (thrown) {
      const error = thrown instanceof Error ? thrown : new NonErrorThrownError(thrown);
      return { record, status: 'failed', error, kind: safeClassify(classify, error) };
    }
  };

  const groups = new Map<string, number[]>();
  const tasks: Promise<void>[] = [];
  records.forEach((record, index) => {
    if (record.groupId === undefined) {
      tasks.push(limit(run, index).then((result) => void (results[index] = result)));
      return;
    }
    const members = groups.get(record.groupId);
    if (members) members.push(index);
    else groups.set(record.groupId, [index]);
  });
  for (const members of groups.values()) {
    tasks.push(
      (async () => {
        let failed = false;
        for (const index of members) {
          if (failed) {
            results[index] = notAttempted(records[index]!, 'group-failed');
            continue;
          }
          const result = await limit(run, index);
          results[index] = result;
          failed = result.status === 'failed';
        }
      })(),
    );
  }

  try {
    await Promise.all(tasks);
  } finally {
    if (timer) clearTimeout(timer);
    outerSignal?.removeEventListener('abort', onOuterAbort);
  }
  return {
    results,
    failedIds: results.filter((result) => result.status === 'failed').map((result) => result.record.id),
  };
}

function safeClassify(classify: (error: Error) => FailureKind, error: Error): FailureKind {
  try {
    return classify(error) === 'permanent' ? 'permanent' : 'transient';
  } catch {
    // A classifier that throws must not lose the record: retrying is the safe default.
    return 'transient';
  }
}

function validate(records: unknown, handler: unknown, options: ProcessBatchOptions): void {
  if (!Array.isArray(records)) {
    throw new TypeError(`processBatch: expected records to be an array, got ${describe(records)}`);
  }
  const seen = new Set<string>();
  records.forEach((record: unknown, index) => {
    if (typeof record !== 'object' || record === null) {
      throw new TypeError(`processBatch: expected records[${index}] to be an object, got ${describe(record)}`);
    }
    const { id, body, groupId } = record as Partial<BatchRecord>;
    if (typeof id !== 'string' || id === '') {
      throw new TypeError(`processBatch: expected records[${index}].id to be a non-empty string, got ${describe(id)}`);
    }
    if (typeof body !== 'string') {
      throw new TypeError(`processBatch: expected records[${index}].body to be a string, got ${describe(body)}`);
    }
    if (groupId !== undefined && typeof groupId !== 'string') {
      throw new TypeError(`processBatch: expected records[${index}].groupId to be a string, got ${describe(groupId)}`);
    }
    if (seen.has(id)) throw new TypeError(`processBatch: record id "${id}" appears more than once in the batch`);
    seen.add(id);
  });
  if (typeof handler !== 'function') {
    throw new TypeError(`processBatch: expected handler to be a function, got ${describe(handler)}`);
  }
  const { concurrency, deadline, signal, classify } = options;
  if (concurrency !== undefined && !(Number.isInteger(concurrency) && concurrency >= 1)) {
    throw new TypeError(`processBatch: expected options.concurrency to be an integer >= 1, got ${describe(concurrency)}`);
  }
  if (deadline !== undefined && !Number.isFinite(deadline)) {
    throw new TypeError(`processBatch: expected options.deadline to be epoch milliseconds, got ${describe(deadline)}`);
  }
  if (signal !== undefined && !(signal instanceof AbortSignal)) {
    throw new TypeError(`processBatch: expected options.signal to be an AbortSignal, got ${describe(signal)}`);
  }
  if (classify !== undefined && typeof classify !== 'function') {
    throw new TypeError(`processBatch: expected options.classify to be a function, got ${describe(classify)}`);
  }
}
