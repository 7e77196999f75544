/**
 * One message of a batch, independent of where it came from (a Lambda SQS event, a
 * `ReceiveMessage` response, a test).
 */
export interface BatchRecord {
  /** Unique within the batch; the id handed back to SQS for a retry (the `messageId`). */
  readonly id: string;
  /** The raw message body. */
  readonly body: string;
  /** FIFO message group: records of one group run in order, groups run in parallel. */
  readonly groupId?: string;
  /** How many times SQS has delivered this message, this delivery included. */
  readonly receiveCount?: number;
  /** Message or system attributes the adapter chose to pass on. */
  readonly attributes?: Readonly<Record<string, string>>;
}

/** What a record handler receives besides the record. */
export interface RecordHandlerContext {
  /** Aborted when the batch is aborted or its deadline passes: stop and throw. */
  readonly signal: AbortSignal;
}

/**
 * Processes one record: returns a value on success, throws on failure.
 *
 * @typeParam T - the value a successful record produces.
 */
export type RecordHandler<T = unknown> = (record: BatchRecord, context: RecordHandlerContext) => Promise<T> | T;

/** How a failure should be treated: `permanent` goes to the dead-letter queue, `transient` is retried. */
export type FailureKind = 'permanent' | 'transient';

/** A record whose handler returned. */
export interface SucceededResult<T> {
  readonly record: BatchRecord;
  readonly status: 'succeeded';
  readonly value: T;
}

/** A record whose handler threw, or that was never started (`not-attempted`). */
export interface FailedResult {
  readonly record: BatchRecord;
  readonly status: 'failed';
  readonly error: Error;
  readonly kind: FailureKind | 'not-attempted';
}

/** The outcome of one record. */
export type RecordResult<T> = SucceededResult<T> | FailedResult;

/** The outcome of a whole batch: one result per record, in input order. */
export interface BatchReport<T = unknown> {
  readonly results: readonly RecordResult<T>[];
  /** Ids of every failed or not-attempted record, in input order: the ones to hand back to SQS. */
  readonly failedIds: readonly string[];
}
