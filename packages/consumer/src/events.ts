import type { FailureKind } from '@batch-decline/core';

/** What `stop()` resolves with, and the `stopped` event carries. */
export interface ConsumerSummary {
  readonly received: number;
  readonly succeeded: number;
  /** Failed attempts (a message retried three times counts three times). */
  readonly failed: number;
  readonly deadLettered: number;
  /** Messages handed back unprocessed (visibility 0) at shutdown, after a failed group, or after a timeout. */
  readonly released: number;
  /** Milliseconds from `start()` to the end of `stop()`. */
  readonly runningMs: number;
}

/** The consumer's events and their payloads. */
export interface ConsumerEvents {
  started: { readonly queueUrl: string; readonly deadLetterQueueUrl: string | undefined; readonly visibilityTimeout: number };
  received: { readonly count: number };
  processed: { readonly messageId: string; readonly value: unknown; readonly durationMs: number };
  failed: {
    readonly messageId: string;
    readonly error: Error;
    readonly kind: FailureKind;
    readonly receiveCount: number | undefined;
    /** Seconds until the message is visible again (transient failures). */
    readonly retryInSeconds: number | undefined;
  };
  deadLettered: { readonly messageId: string; readonly reason: string };
  released: { readonly count: number; readonly why: 'shutdown' | 'group-failed' | 'timeout' };
  error: { readonly error: Error; readonly operation: string };
  stopped: ConsumerSummary;
}

/** A listener of one event. */
export type ConsumerListener<E extends keyof ConsumerEvents> = (payload: ConsumerEvents[E]) => void;

/**
 * A small typed event emitter. Unlike Node's `EventEmitter`, an `error` event without a
 * listener is not thrown, and a listener that throws never breaks the consumer.
 * @internal
 */
export class TypedEmitter {
  private readonly listeners = new Map<keyof ConsumerEvents, Set<(payload: never) => void>>();

  on<E extends keyof ConsumerEvents>(event: E, listener: ConsumerListener<E>): () => void {
    let set = this.listeners.get(event);
    if (!set) this.listeners.set(event, (set = new Set()));
    set.add(listener as (payload: never) => void);
    return () => this.off(event, listener);
  }

  off<E extends keyof ConsumerEvents>(event: E, listener: ConsumerListener<E>): void {
    this.listeners.get(event)?.delete(listener as (payload: never) => void);
  }

  emit<E extends keyof ConsumerEvents>(event: E, payload: ConsumerEvents[E]): void {
    for (const listener of this.listeners.get(event) ?? []) {
      try {
        (listener as ConsumerListener<E>)(payload);
      } catch {
        // A metrics hook must never take the consumer down.
      }
    }
  }
}
