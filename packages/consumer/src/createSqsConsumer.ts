import type { SqsConsumerOptions } from './options.js';
import { SqsConsumer } from './SqsConsumer.js';

/**
 * Creates a long-polling SQS consumer for containers (ECS, Kubernetes): a cap on messages
 * in flight kept full by continuous refill, batched deletes, a visibility heartbeat for slow
 * records, back-off by receive count for transient failures, permanent failures to the
 * dead-letter queue (found from the queue's `RedrivePolicy` unless given), FIFO order per
 * group, and a graceful `stop()` that releases what it did not finish.
 *
 * @param options - the queue, the record handler and tuning; see {@link SqsConsumerOptions}.
 * @returns the consumer; call `start()` to begin.
 * @throws TypeError when an option is not of the expected shape.
 * @example
 * ```ts
 * import { createApplicationRepository, createDeclineHandler } from '@batch-decline/core';
 * import { createSqsConsumer } from '@batch-decline/consumer';
 *
 * const repository = createApplicationRepository({ tableName: 'applications', writeMode: 'batched' });
 * const consumer = createSqsConsumer({ queueUrl: process.env.QUEUE_URL!, handler: createDeclineHandler(repository) });
 * consumer.on('failed', ({ messageId, kind }) => console.warn(messageId, kind));
 * await consumer.start();
 * process.once('SIGTERM', () => void consumer.stop({ timeoutMs: 20_000 }));
 * ```
 */
export function createSqsConsumer<T>(options: SqsConsumerOptions<T>): SqsConsumer<T> {
  return new SqsConsumer(options);
}
