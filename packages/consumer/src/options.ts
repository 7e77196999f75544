import type { SQSClient } from '@aws-sdk/client-sqs';
import type { FailureKind, Logger, RecordHandler } from '@batch-decline/core';

/** Options of `createSqsConsumer`. */
export interface SqsConsumerOptions<T = unknown> {
  /** The queue to consume. */
  readonly queueUrl: string;
  /** Processes one message; throws to fail it (a `PermanentError` dead-letters it). */
  readonly handler: RecordHandler<T>;
  /**
   * The SQS client.
   * @defaultValue `new SQSClient({})`, configured from the environment
   */
  readonly sqs?: Pick<SQSClient, 'send'>;
  /**
   * Most messages received and not yet settled. Receives keep it full.
   * @defaultValue 50
   */
  readonly maxInFlight?: number;
  /**
   * `MaxNumberOfMessages` of each receive (1 to 10). A receive starts only when this many
   * slots are free (or nothing is in flight), so receives stay full.
   * @defaultValue 10
   */
  readonly batchSize?: number;
  /**
   * Long-poll wait of each receive, in seconds (0 to 20).
   * @defaultValue 20
   */
  readonly waitTimeSeconds?: number;
  /**
   * Visibility timeout requested on receive, in seconds; the heartbeat extends it by this
   * much for records still running.
   * @defaultValue the queue's own `VisibilityTimeout`
   */
  readonly visibilityTimeout?: number;
  /**
   * Where permanent failures go, with the reason as message attributes.
   * @defaultValue the queue's `RedrivePolicy` target; with none, permanent failures are left to retries (a warning says so once)
   */
  readonly deadLetterQueueUrl?: string;
  /**
   * Longest a record may run (visibility is extended meanwhile); then its signal is aborted.
   * @defaultValue 300000 (5 minutes)
   */
  readonly maxProcessingTimeMs?: number;
  /**
   * Back-off of a transient failure, in seconds: the message stays invisible for about
   * `retryBaseDelaySeconds * 2^(receiveCount - 1)`, with jitter, at most `retryMaxDelaySeconds`.
   * @defaultValue 2
   */
  readonly retryBaseDelaySeconds?: number;
  /**
   * The cap on the back-off, in seconds (at most 43200).
   * @defaultValue 300
   */
  readonly retryMaxDelaySeconds?: number;
  /**
   * Longest a successful message waits in the delete buffer before a `DeleteMessageBatch`
   * (it goes at once when 10 are buffered; FIFO queues flush at once).
   * @defaultValue 50
   */
  readonly deleteFlushIntervalMs?: number;
  /**
   * Decides whether an error is permanent.
   * @defaultValue `PermanentError` subclasses are permanent, everything else transient
   */
  readonly classify?: (error: Error) => FailureKind;
  /**
   * Where the consumer logs (warnings and errors; no message bodies).
   * @defaultValue a JSON logger at `warn`
   */
  readonly logger?: Logger;
}

/** The defaults of {@link SqsConsumerOptions}. */
export const sqsConsumerDefaults = {
  maxInFlight: 50,
  batchSize: 10,
  waitTimeSeconds: 20,
  maxProcessingTimeMs: 300_000,
  retryBaseDelaySeconds: 2,
  retryMaxDelaySeconds: 300,
  deleteFlushIntervalMs: 50,
} as const;

/** Options after defaults, as the modules use them. @internal */
export type ResolvedOptions<T> = Required<Omit<SqsConsumerOptions<T>, 'visibilityTimeout' | 'deadLetterQueueUrl' | 'classify' | 'sqs' | 'logger'>> &
  Pick<SqsConsumerOptions<T>, 'visibilityTimeout' | 'deadLetterQueueUrl' | 'classify'>;

/**
 * Applies defaults and validates, with `TypeError`s that say what was expected and what came.
 * @internal
 */
export function resolveOptions<T>(options: SqsConsumerOptions<T>): ResolvedOptions<T> {
  if (typeof options !== 'object' || options === null) throw new TypeError(`createSqsConsumer: expected an options object, got ${show(options)}`);
  const d = sqsConsumerDefaults;
  const resolved: ResolvedOptions<T> = {
    queueUrl: options.queueUrl,
    handler: options.handler,
    maxInFlight: options.maxInFlight ?? d.maxInFlight,
    batchSize: options.batchSize ?? d.batchSize,
    waitTimeSeconds: options.waitTimeSeconds ?? d.waitTimeSeconds,
    visibilityTimeout: options.visibilityTimeout,
    deadLetterQueueUrl: options.deadLetterQueueUrl,
    maxProcessingTimeMs: options.maxProcessingTimeMs ?? d.maxProcessingTimeMs,
    retryBaseDelaySeconds: options.retryBaseDelaySeconds ?? d.retryBaseDelaySeconds,
    retryMaxDelaySeconds: options.retryMaxDelaySeconds ?? d.retryMaxDelaySeconds,
    deleteFlushIntervalMs: options.deleteFlushIntervalMs ?? d.deleteFlushIntervalMs,
    classify: options.classify,
  };
  const url = (name: string, value: unknown, optional: boolean) => {
    if (optional && value === undefined) return;
    if (typeof value !== 'string' || !/^https?:\/\/\S+$/.test(value)) throw new TypeError(`createSqsConsumer: expected ${name} to be a queue URL, got ${show(value)}`);
  };
  const integer = (name: string, value: number | undefined, min: number, max: number) => {
    if (value === undefined) return;
    if (!Number.isInteger(value) || value < min || value > max) {
      throw new TypeError(`createSqsConsumer: expected ${name} to be an integer from ${min} to ${max}, got ${show(value)}`);
    }
  };
  url('queueUrl', resolved.queueUrl, false);
  url('deadLetterQueueUrl', resolved.deadLetterQueueUrl, true);
  if (typeof resolved.handler !== 'function') throw new TypeError(`createSqsConsumer: expected handler to be a function, got ${show(resolved.handler)}`);
  integer('maxInFlight', resolved.maxInFlight, 1, 10_000);
  integer('batchSize', resolved.batchSize, 1, 10);
  integer('waitTimeSeconds', resolved.waitTimeSeconds, 0, 20);
  integer('visibilityTimeout', resolved.visibilityTimeout, 1, 43_200);
  integer('maxProcessingTimeMs', resolved.maxProcessingTimeMs, 1, 12 * 3600 * 1000);
  integer('retryBaseDelaySeconds', resolved.retryBaseDelaySeconds, 0, 43_200);
  integer('retryMaxDelaySeconds', resolved.retryMaxDelaySeconds, 0, 43_200);
  integer('deleteFlushIntervalMs', resolved.deleteFlushIntervalMs, 0, 60_000);
  if (options.sqs !== undefined && typeof options.sqs?.send !== 'function') throw new TypeError(`createSqsConsumer: expected sqs to be an SQSClient, got ${show(options.sqs)}`);
  if (resolved.classify !== undefined && typeof resolved.classify !== 'function') throw new TypeError(`createSqsConsumer: expected classify to be a function, got ${show(resolved.classify)}`);
  return resolved;
}

function show(value: unknown): string {
  if (value === null) return 'null';
  if (typeof value === 'number') return `the number ${value}`;
  if (typeof value === 'string') return value === '' ? 'an empty string' : `the string "${value.slice(0, 60)}"`;
  return typeof value;
}
