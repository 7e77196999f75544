import { ChangeMessageVisibilityBatchCommand, DeleteMessageBatchCommand, type SQSClient } from '@aws-sdk/client-sqs';

interface Entry {
  readonly messageId: string;
  readonly receiptHandle: string;
  /** Visibility timeout in seconds; absent for deletes. */
  readonly seconds?: number;
  attempts: number;
  readonly resolve: (done: boolean) => void;
}

/** Settles messages on the queue in batches of up to 10. @internal */
export interface Acknowledger {
  /** Buffers a delete; resolves `true` once deleted, `false` if it finally failed. */
  delete(messageId: string, receiptHandle: string): Promise<boolean>;
  /** Buffers a visibility change (0 releases the message); resolves like `delete`. */
  changeVisibility(messageId: string, receiptHandle: string, seconds: number): Promise<boolean>;
  /** Sends everything buffered and waits for every request under way. */
  flush(): Promise<void>;
}

/** @internal */
export interface AcknowledgerOptions {
  readonly sqs: Pick<SQSClient, 'send'>;
  readonly queueUrl: string;
  /** Longest a delete waits for nine others. */
  readonly flushIntervalMs: number;
  /** Send deletes without waiting (FIFO: a group stays blocked until its message is deleted). */
  readonly immediate: boolean;
  readonly onError: (error: Error, operation: string) => void;
}

const MAX_ATTEMPTS = 4;

/**
 * Buffers deletes and visibility changes into `DeleteMessageBatch` and
 * `ChangeMessageVisibilityBatch` calls. Deletes go when 10 are buffered or after
 * `flushIntervalMs`; visibility changes go at the end of the current turn of the event loop
 * (a released message should be visible again at once). Failed entries and failed calls are
 * retried with a short back-off; an entry whose receipt handle is no longer valid is not.
 *
 * @internal
 */
export function createAcknowledger(options: AcknowledgerOptions): Acknowledger {
  const { sqs, queueUrl } = options;
  const deletes: Entry[] = [];
  const changes: Entry[] = [];
  const underWay = new Set<Promise<void>>();
  let deleteTimer: NodeJS.Timeout | undefined;
  let changeScheduled = false;

  const track = (promise: Promise<void>) => {
    underWay.add(promise);
    void promise.finally(() => underWay.delete(promise));
  };

  const send = async (kind: 'delete' | 'visibility', chunk: Entry[]): Promise<void> => {
    const operation = kind === 'delete' ? 'DeleteMessageBatch' : 'ChangeMessageVisibilityBatch';
    let failed: { entry: Entry; retry: boolean; error: Error }[] = [];
    try {
      const result =
        kind === 'delete'
          ? await sqs.send(
              new DeleteMessageBatchCommand({ QueueUrl: queueUrl, Entries: chunk.map((e, i) => ({ Id: String(i), ReceiptHandle: e.receiptHandle })) }),
            )
          : await sqs.send(
              new ChangeMessageVisibilityBatchCommand({
                QueueUrl: queueUrl,
                Entries: chunk.map((e, i) => ({ Id: String(i), ReceiptHandle: e.receiptHandle, VisibilityTimeout: e.seconds! })),
              }),
            );
      for (const ok of result.Successful ?? []) chunk[Number(ok.Id)]?.resolve(true);
      failed = (result.Failed ?? []).map((entry) => ({
        entry: chunk[Number(entry.Id)]!,
        // An invalid or expired receipt handle will not get better: the message comes back and is processed again (idempotently).
        retry: !/ReceiptHandleIsInvalid|InvalidParameterValue|MessageNotInflight/i.test(entry.Code ?? ''),
        error: new Error(`${operation} entry failed (${entry.Code}): ${entry.Message ?? ''}`),
      }));
    } catch (error) {
      failed = chunk.map((entry) => ({ entry, retry: true, error: error as Error }));
    }
    for (const { entry, retry, error } of failed) {
      entry.attempts += 1;
      if (retry && entry.attempts < MAX_ATTEMPTS) {
        setTimeout(() => enqueue(kind === 'delete' ? deletes : changes, entry), 100 * 2 ** entry.attempts).unref();
        track(new Promise((resolve) => setTimeout(resolve, 100 * 2 ** entry.attempts + 5)));
      } else {
        options.onError(error, operation);
        entry.resolve(false);
      }
    }
  };

  const flushDeletes = () => {
    if (deleteTimer) clearTimeout(deleteTimer);
    deleteTimer = undefined;
    while (deletes.length > 0) track(send('delete', deletes.splice(0, 10)));
  };
  const flushChanges = () => {
    changeScheduled = false;
    while (changes.length > 0) track(send('visibility', changes.splice(0, 10)));
  };

  function enqueue(buffer: Entry[], entry: Entry) {
    buffer.push(entry);
    if (buffer === changes) {
      if (!changeScheduled) {
        changeScheduled = true;
        setImmediate(flushChanges);
      }
      return;
    }
    if (deletes.length >= 10) {
      while (deletes.length >= 10) track(send('delete', deletes.splice(0, 10)));
    }
    if (deletes.length > 0 && !deleteTimer) {
      deleteTimer = options.immediate ? (setImmediate(flushDeletes) as unknown as NodeJS.Timeout) : setTimeout(flushDeletes, options.flushIntervalMs);
    }
  }

  return {
    delete: (messageId, receiptHandle) => new Promise((resolve) => enqueue(deletes, { messageId, receiptHandle, attempts: 0, resolve })),
    changeVisibility: (messageId, receiptHandle, seconds) =>
      new Promise((resolve) => enqueue(changes, { messageId, receiptHandle, seconds, attempts: 0, resolve })),
    async flush() {
      while (deletes.length > 0 || changes.length > 0 || underWay.size > 0) {
        flushDeletes();
        flushChanges();
        await Promise.all([...underWay]);
      }
    },
  };
}
