interface Tracked {
  readonly receiptHandle: string;
  readonly receivedAt: number;
  visibleAt: number;
  readonly onExpire: () => void;
}

/** Keeps messages invisible while they are held. @internal */
export interface Heartbeat {
  /** Watches a message from its receive on; call the returned function once it is settled. */
  track(messageId: string, receiptHandle: string, onExpire: () => void): () => void;
  stop(): void;
}

/** @internal */
export interface HeartbeatOptions {
  /** Seconds each extension buys (the receive's visibility timeout). */
  readonly visibilityTimeout: number;
  /** Longest a message may be held before `onExpire`. */
  readonly maxProcessingTimeMs: number;
  /** Sends a (batched) visibility change. */
  readonly extend: (messageId: string, receiptHandle: string, seconds: number) => void;
}

/**
 * The visibility heartbeat: a message held past half its visibility timeout gets it
 * extended by a full timeout (the calls are batched by the acknowledger), until it has been
 * held `maxProcessingTimeMs`; then `onExpire` runs (the consumer aborts the record) and the
 * message is no longer extended.
 *
 * @internal
 */
export function createHeartbeat(options: HeartbeatOptions): Heartbeat {
  const timeoutMs = options.visibilityTimeout * 1000;
  const tracked = new Map<string, Tracked>();
  const tick = () => {
    const now = Date.now();
    for (const [messageId, entry] of tracked) {
      if (now - entry.receivedAt >= options.maxProcessingTimeMs) {
        tracked.delete(messageId);
        entry.onExpire();
      } else if (entry.visibleAt - now <= timeoutMs / 2) {
        entry.visibleAt = now + timeoutMs;
        options.extend(messageId, entry.receiptHandle, options.visibilityTimeout);
      }
    }
  };
  const timer = setInterval(tick, Math.max(100, Math.min(5000, timeoutMs / 4, options.maxProcessingTimeMs / 4)));
  timer.unref();
  return {
    track(messageId, receiptHandle, onExpire) {
      const now = Date.now();
      tracked.set(messageId, { receiptHandle, receivedAt: now, visibleAt: now + timeoutMs, onExpire });
      return () => tracked.delete(messageId);
    },
    stop: () => clearInterval(timer),
  };
}
