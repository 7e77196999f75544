import { ReceiveMessageCommand, SQSClient, type Message } from '@aws-sdk/client-sqs';
import {
  createJsonLogger,
  defaultClassify,
  forwardToDeadLetterQueue,
  processBatch,
  type BatchRecord,
  type FailureKind,
  type Logger,
  type RecordHandler,
} from '@batch-decline/core';
import { createAcknowledger, type Acknowledger } from './acknowledger.js';
import { retryDelaySeconds } from './backoff.js';
import { TypedEmitter, type ConsumerEvents, type ConsumerListener, type ConsumerSummary } from './events.js';
import { createHeartbeat, type Heartbeat } from './heartbeat.js';
import { resolveOptions, type ResolvedOptions, type SqsConsumerOptions } from './options.js';
import { readQueueSettings } from './queueSettings.js';

/** The consumer's lifecycle. */
export type ConsumerState = 'idle' | 'starting' | 'running' | 'stopping' | 'stopped';

/** A snapshot for health checks and dashboards. */
export interface ConsumerStatus {
  readonly state: ConsumerState;
  /** Messages received and not yet settled. */
  readonly inFlight: number;
  readonly received: number;
  readonly succeeded: number;
  readonly failed: number;
  readonly deadLettered: number;
  readonly released: number;
  /** When the last receive returned (epoch ms), successful or empty. */
  readonly lastReceiveAt: number | undefined;
  /** Receives that failed in a row; 0 when the last one worked. */
  readonly consecutiveReceiveErrors: number;
}

/** Options of {@link SqsConsumer.stop}. */
export interface StopOptions {
  /**
   * How long running records may take to finish before their signal is aborted.
   * @defaultValue 30000
   */
  readonly timeoutMs?: number;
}

interface Held {
  readonly receiptHandle: string;
  readonly record: BatchRecord;
  readonly controller: AbortController;
  readonly untrack: () => void;
  expired: boolean;
}

const RECEIVE_GRACE_MS = 100;

/**
 * A long-polling SQS consumer (see `createSqsConsumer`). Polling, acknowledging, visibility
 * and back-off live in their own modules; this class holds the state that ties them together.
 *
 * @example
 * ```ts
 * import { createSqsConsumer, type SqsConsumer } from '@batch-decline/consumer';
 *
 * const consumer: SqsConsumer<string> = createSqsConsumer({ queueUrl, handler: async (record) => record.body });
 * await consumer.start();
 * console.log(consumer.status.inFlight);
 * const summary = await consumer.stop({ timeoutMs: 10_000 });
 * ```
 */
export class SqsConsumer<T = unknown> {
  readonly #options: ResolvedOptions<T>;
  readonly #sqs: Pick<SQSClient, 'send'>;
  readonly #logger: Logger;
  readonly #classify: (error: Error) => FailureKind;
  readonly #emitter = new TypedEmitter();
  readonly #held = new Map<string, Held>();
  readonly #receives = new Set<AbortController>();
  readonly #batches = new Set<Promise<void>>();
  readonly #stopController = new AbortController();
  #state: ConsumerState = 'idle';
  #acknowledger: Acknowledger | undefined;
  #heartbeat: Heartbeat | undefined;
  #deadLetterQueueUrl: string | undefined;
  #visibilityTimeout = 30;
  #reserved = 0;
  #receivePausedUntil = 0;
  #pumpTimer: NodeJS.Timeout | undefined;
  #startedAt = 0;
  #starting: Promise<void> | undefined;
  #stopping: Promise<ConsumerSummary> | undefined;
  #warnedNoDeadLetterQueue = false;
  readonly #counts = { received: 0, succeeded: 0, failed: 0, deadLettered: 0, released: 0, receiveErrors: 0 };
  #lastReceiveAt: number | undefined;

  /**
   * @param options - see {@link SqsConsumerOptions}.
   * @throws TypeError when an option is not of the expected shape.
   */
  constructor(options: SqsConsumerOptions<T>) {
    this.#options = resolveOptions(options);
    this.#sqs = options.sqs ?? new SQSClient({});
    this.#logger = options.logger ?? createJsonLogger({ level: 'warn', service: 'batch-decline-consumer' });
    this.#classify = options.classify ?? defaultClassify;
  }

  /** The consumer's current state and counters. */
  get status(): ConsumerStatus {
    return {
      state: this.#state,
      inFlight: this.#held.size,
      received: this.#counts.received,
      succeeded: this.#counts.succeeded,
      failed: this.#counts.failed,
      deadLettered: this.#counts.deadLettered,
      released: this.#counts.released,
      lastReceiveAt: this.#lastReceiveAt,
      consecutiveReceiveErrors: this.#counts.receiveErrors,
    };
  }

  /**
   * Subscribes to an event; returns a function that unsubscribes.
   *
   * @param event - `started`, `received`, `processed`, `failed`, `deadLettered`, `released`, `error` or `stopped`.
   * @param listener - called with the event's payload; its errors are ignored.
   * @returns the unsubscribe function.
   */
  on<E extends keyof ConsumerEvents>(event: E, listener: ConsumerListener<E>): () => void {
    return this.#emitter.on(event, listener);
  }

  /**
   * Reads the queue's settings (visibility timeout, redrive policy) and starts polling.
   * If the queue cannot be reached yet, it emits `error` and keeps trying until it can or
   * until `stop()`. Calling it again returns the same promise.
   *
   * @returns resolves once polling has started (or the consumer was stopped first).
   * @throws Error when the consumer was already stopped.
   */
  start(): Promise<void> {
    if (this.#state === 'stopped' || this.#state === 'stopping') return Promise.reject(new Error('SqsConsumer: cannot start a stopped consumer; create a new one'));
    this.#starting ??= this.#start();
    return this.#starting;
  }

  async #start(): Promise<void> {
    this.#state = 'starting';
    this.#startedAt = Date.now();
    const { queueUrl } = this.#options;
    for (let attempt = 0; this.#state === 'starting'; attempt += 1) {
      try {
        const settings = await readQueueSettings(this.#sqs, queueUrl, this.#options.deadLetterQueueUrl === undefined);
        this.#visibilityTimeout = this.#options.visibilityTimeout ?? settings.visibilityTimeout;
        this.#deadLetterQueueUrl = this.#options.deadLetterQueueUrl ?? settings.deadLetterQueueUrl;
        this.#acknowledger = createAcknowledger({
          sqs: this.#sqs,
          queueUrl,
          flushIntervalMs: this.#options.deleteFlushIntervalMs,
          immediate: settings.fifo,
          onError: (error, operation) => this.#error(error, operation),
        });
        this.#heartbeat = createHeartbeat({
          visibilityTimeout: this.#visibilityTimeout,
          maxProcessingTimeMs: this.#options.maxProcessingTimeMs,
          extend: (messageId, receiptHandle, seconds) => void this.#acknowledger?.changeVisibility(messageId, receiptHandle, seconds),
        });
        break;
      } catch (error) {
        this.#error(error as Error, 'GetQueueAttributes');
        await this.#sleep(Math.min(30_000, 250 * 2 ** attempt));
      }
    }
    if (this.#state !== 'starting') return;
    this.#state = 'running';
    this.#emitter.emit('started', { queueUrl, deadLetterQueueUrl: this.#deadLetterQueueUrl, visibilityTimeout: this.#visibilityTimeout });
    this.#pump();
  }

  /** Starts receives while there is room for a full batch (or nothing is in flight). */
  #pump(): void {
    if (this.#state !== 'running') return;
    const { maxInFlight, batchSize } = this.#options;
    const maxReceives = Math.ceil(maxInFlight / batchSize);
    while (this.#receives.size < maxReceives) {
      const busy = this.#held.size + this.#reserved;
      const want = Math.min(batchSize, maxInFlight - busy);
      if (want <= 0 || (want < batchSize && busy > 0)) return;
      const wait = this.#receivePausedUntil - Date.now();
      if (wait > 0) {
        this.#pumpTimer ??= setTimeout(() => {
          this.#pumpTimer = undefined;
          this.#pump();
        }, wait);
        return;
      }
      void this.#receive(want);
    }
  }

  async #receive(count: number): Promise<void> {
    const controller = new AbortController();
    this.#receives.add(controller);
    this.#reserved += count;
    let messages: Message[] = [];
    try {
      const result = await this.#sqs.send(
        new ReceiveMessageCommand({
          QueueUrl: this.#options.queueUrl,
          MaxNumberOfMessages: count,
          WaitTimeSeconds: this.#options.waitTimeSeconds,
          VisibilityTimeout: this.#visibilityTimeout,
          MessageSystemAttributeNames: ['All'],
          MessageAttributeNames: ['All'],
        }),
        { abortSignal: controller.signal },
      );
      messages = result.Messages ?? [];
      this.#lastReceiveAt = Date.now();
      this.#counts.receiveErrors = 0;
    } catch (error) {
      if (!controller.signal.aborted) {
        this.#counts.receiveErrors += 1;
        this.#receivePausedUntil = Date.now() + retryDelaySeconds(this.#counts.receiveErrors, 0.2, 20) * 1000;
        this.#error(error as Error, 'ReceiveMessage');
      }
    } finally {
      this.#receives.delete(controller);
      this.#reserved -= count;
    }
    if (messages.length > 0) this.#accept(messages);
    this.#pump();
  }

  #accept(messages: Message[]): void {
    if (this.#state !== 'running') {
      // Received while stopping (a released message picked up by one of our own receives): hand it straight back.
      for (const message of messages) void this.#acknowledger!.changeVisibility(message.MessageId!, message.ReceiptHandle!, 0);
      return;
    }
    this.#counts.received += messages.length;
    this.#emitter.emit('received', { count: messages.length });
    const records = messages.map((message) => {
      const record = toRecord(message);
      const controller = new AbortController();
      const held: Held = {
        receiptHandle: message.ReceiptHandle!,
        record,
        controller,
        expired: false,
        untrack: this.#heartbeat!.track(record.id, message.ReceiptHandle!, () => {
          held.expired = true;
          controller.abort(new Error(`Record ${record.id} exceeded maxProcessingTimeMs`));
        }),
      };
      this.#held.set(record.id, held);
      return record;
    });
    const batch = this.#process(records).catch((error: unknown) => this.#error(error as Error, 'processBatch'));
    this.#batches.add(batch);
    void batch.finally(() => this.#batches.delete(batch));
  }

  async #process(records: BatchRecord[]): Promise<void> {
    const handler: RecordHandler<T> = async (record, { signal }) => {
      const held = this.#held.get(record.id)!;
      const started = Date.now();
      try {
        const value = await this.#options.handler(record, { signal: AbortSignal.any([signal, held.controller.signal]) });
        this.#succeed(record, value, Date.now() - started);
        return value;
      } catch (error) {
        await this.#fail(record, error instanceof Error ? error : new Error(String(error)));
        throw error;
      }
    };
    const report = await processBatch(records, handler, { concurrency: records.length, signal: this.#stopController.signal });
    for (const result of report.results) {
      if (result.status === 'failed' && result.kind === 'not-attempted') {
        this.#release(result.record.id, this.#stopController.signal.aborted ? 'shutdown' : 'group-failed');
      }
    }
  }

  #take(messageId: string): Held | undefined {
    const held = this.#held.get(messageId);
    if (!held) return undefined;
    this.#held.delete(messageId);
    held.untrack();
    queueMicrotask(() => this.#pump());
    return held;
  }

  #succeed(record: BatchRecord, value: unknown, durationMs: number): void {
    const held = this.#take(record.id);
    if (!held) return;
    this.#counts.succeeded += 1;
    void this.#acknowledger!.delete(record.id, held.receiptHandle);
    this.#emitter.emit('processed', { messageId: record.id, value, durationMs });
  }

  async #fail(record: BatchRecord, error: Error): Promise<void> {
    const held = this.#held.get(record.id);
    if (!held) return;
    if (held.expired || this.#stopController.signal.aborted) {
      this.#release(record.id, held.expired ? 'timeout' : 'shutdown');
      return;
    }
    const kind = safeClassify(this.#classify, error);
    this.#counts.failed += 1;
    if (kind === 'permanent' && this.#deadLetterQueueUrl !== undefined) {
      const { sent } = await forwardToDeadLetterQueue(this.#sqs, this.#deadLetterQueueUrl, [{ record, status: 'failed', error, kind }]);
      if (sent.length === 1) {
        this.#take(record.id);
        this.#counts.deadLettered += 1;
        await this.#acknowledger!.delete(record.id, held.receiptHandle);
        this.#emitter.emit('failed', { messageId: record.id, error, kind, receiveCount: record.receiveCount, retryInSeconds: undefined });
        this.#emitter.emit('deadLettered', { messageId: record.id, reason: error.message });
        return;
      }
    }
    if (kind === 'permanent' && this.#deadLetterQueueUrl === undefined && !this.#warnedNoDeadLetterQueue) {
      this.#warnedNoDeadLetterQueue = true;
      this.#logger.warn('the queue has no RedrivePolicy and no deadLetterQueueUrl was given: permanent failures will be retried until they expire', {
        queueUrl: this.#options.queueUrl,
      });
    }
    this.#take(record.id);
    const seconds = retryDelaySeconds(record.receiveCount ?? 1, this.#options.retryBaseDelaySeconds, this.#options.retryMaxDelaySeconds);
    void this.#acknowledger!.changeVisibility(record.id, held.receiptHandle, seconds);
    this.#emitter.emit('failed', { messageId: record.id, error, kind, receiveCount: record.receiveCount, retryInSeconds: seconds });
  }

  #release(messageId: string, why: 'shutdown' | 'group-failed' | 'timeout'): void {
    const held = this.#take(messageId);
    if (!held) return;
    this.#counts.released += 1;
    void this.#acknowledger!.changeVisibility(messageId, held.receiptHandle, 0);
    this.#emitter.emit('released', { count: 1, why });
  }

  #error(error: Error, operation: string): void {
    this.#logger.error(`${operation} failed`, { error, operation });
    this.#emitter.emit('error', { error, operation });
  }

  #sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, ms);
      this.#stopController.signal.addEventListener('abort', () => (clearTimeout(timer), resolve()), { once: true });
    });
  }

  /**
   * Stops receiving at once, lets running records finish within `timeoutMs`, then aborts
   * them; releases every message it did not finish (visibility 0, so another worker gets it
   * immediately) and flushes buffered deletes. Safe to call twice: both calls get the same promise.
   *
   * @param options - `timeoutMs` for running records.
   * @returns a summary once everything is settled.
   */
  stop(options: StopOptions = {}): Promise<ConsumerSummary> {
    this.#stopping ??= this.#stop(options.timeoutMs ?? 30_000);
    return this.#stopping;
  }

  async #stop(timeoutMs: number): Promise<ConsumerSummary> {
    const wasStarting = this.#state === 'starting';
    this.#state = 'stopping';
    if (this.#pumpTimer) clearTimeout(this.#pumpTimer);
    if (wasStarting) this.#stopController.abort(new Error('stopped'));
    await this.#starting?.catch(() => undefined);
    const settled = () => Promise.all([...this.#batches]).then(() => undefined);
    if (!(await within(settled(), timeoutMs))) {
      this.#stopController.abort(new Error('stop timeout'));
      await within(settled(), 5000);
    }
    // Anything still held (a handler that ignored its signal) is handed back.
    for (const messageId of [...this.#held.keys()]) this.#release(messageId, 'shutdown');
    await this.#acknowledger?.flush();
    // Receives are still open on purpose: one that picks up a released message returns it to
    // us and we release it again. Aborting a receive that the server is answering would leave
    // its messages invisible until their visibility timeout, so only receives still idle after
    // a short grace are aborted.
    await new Promise((resolve) => setTimeout(resolve, RECEIVE_GRACE_MS));
    for (const controller of this.#receives) controller.abort(new Error('stopping'));
    while (this.#receives.size > 0) await new Promise((resolve) => setTimeout(resolve, 5));
    await this.#acknowledger?.flush();
    this.#heartbeat?.stop();
    this.#state = 'stopped';
    const summary: ConsumerSummary = {
      received: this.#counts.received,
      succeeded: this.#counts.succeeded,
      failed: this.#counts.failed,
      deadLettered: this.#counts.deadLettered,
      released: this.#counts.released,
      runningMs: this.#startedAt ? Date.now() - this.#startedAt : 0,
    };
    this.#emitter.emit('stopped', summary);
    return summary;
  }
}

function toRecord(message: Message): BatchRecord {
  const attributes: Record<string, string> = { ...(message.Attributes as Record<string, string> | undefined) };
  for (const [name, value] of Object.entries(message.MessageAttributes ?? {})) {
    if (value.StringValue !== undefined) attributes[`messageAttribute.${name}`] = value.StringValue;
  }
  const receiveCount = Number(attributes.ApproximateReceiveCount);
  const groupId = attributes.MessageGroupId;
  return {
    id: message.MessageId!,
    body: message.Body ?? '',
    ...(groupId ? { groupId } : {}),
    ...(Number.isFinite(receiveCount) ? { receiveCount } : {}),
    attributes,
  };
}

function safeClassify(classify: (error: Error) => FailureKind, error: Error): FailureKind {
  try {
    return classify(error) === 'permanent' ? 'permanent' : 'transient';
  } catch {
    return 'transient';
  }
}

async function within(promise: Promise<void>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), ms)));
  const done = await Promise.race([promise.then(() => true as const), timeout]);
  clearTimeout(timer);
  return done;
}
