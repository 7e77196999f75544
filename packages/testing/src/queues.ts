import {
  CreateQueueCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  DeleteMessageBatchCommand,
  type Message,
  type SQSClient,
} from '@aws-sdk/client-sqs';

/** Options of {@link createQueueWithDeadLetterQueue}. */
export interface QueueWithDlqOptions {
  /** Name of the source queue; `.fifo` is appended for FIFO queues when missing. */
  readonly name: string;
  /**
   * A FIFO queue (and a FIFO dead-letter queue).
   * @defaultValue false
   */
  readonly fifo?: boolean;
  /**
   * The source queue's visibility timeout, in seconds.
   * @defaultValue 20 (the seed's)
   */
  readonly visibilityTimeout?: number;
  /**
   * Receives before a message moves to the dead-letter queue.
   * @defaultValue 5 (the seed's)
   */
  readonly maxReceiveCount?: number;
  /**
   * FIFO only: deduplicate on a hash of the body.
   * @defaultValue false
   */
  readonly contentBasedDeduplication?: boolean;
}

/** A source queue and its dead-letter queue. */
export interface QueueWithDlq {
  readonly queueUrl: string;
  readonly queueArn: string;
  readonly deadLetterQueueUrl: string;
  readonly deadLetterQueueArn: string;
}

/**
 * Creates a dead-letter queue and a source queue whose `RedrivePolicy` points at it, as the
 * seed's SAM template does.
 *
 * @param sqs - an SQS client for the emulator.
 * @param options - name, FIFO, visibility timeout, maxReceiveCount.
 * @returns both queues' URLs and ARNs.
 * @example
 * ```ts
 * import { createQueueWithDeadLetterQueue } from '@batch-decline/testing';
 *
 * const { queueUrl, deadLetterQueueUrl } = await createQueueWithDeadLetterQueue(sqs, { name: 'declines' });
 * ```
 */
export async function createQueueWithDeadLetterQueue(sqs: SQSClient, options: QueueWithDlqOptions): Promise<QueueWithDlq> {
  const fifo = options.fifo ?? false;
  const base = options.name.replace(/\.fifo$/, '');
  const suffix = fifo ? '.fifo' : '';
  const fifoAttributes: Record<string, string> = fifo
    ? { FifoQueue: 'true', ContentBasedDeduplication: String(options.contentBasedDeduplication ?? false) }
    : {};
  const dlq = await sqs.send(new CreateQueueCommand({ QueueName: `${base}-dlq${suffix}`, Attributes: { ...fifoAttributes } }));
  const deadLetterQueueArn = await queueArn(sqs, dlq.QueueUrl!);
  const queue = await sqs.send(
    new CreateQueueCommand({
      QueueName: `${base}${suffix}`,
      Attributes: {
        ...fifoAttributes,
        VisibilityTimeout: String(options.visibilityTimeout ?? 20),
        RedrivePolicy: JSON.stringify({
          deadLetterTargetArn: deadLetterQueueArn,
          maxReceiveCount: String(options.maxReceiveCount ?? 5),
        }),
      },
    }),
  );
  return {
    queueUrl: queue.QueueUrl!,
    queueArn: await queueArn(sqs, queue.QueueUrl!),
    deadLetterQueueUrl: dlq.QueueUrl!,
    deadLetterQueueArn,
  };
}

async function queueArn(sqs: SQSClient, queueUrl: string): Promise<string> {
  const result = await sqs.send(new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ['QueueArn'] }));
  return result.Attributes!.QueueArn!;
}

/** How many messages a queue holds. */
export interface QueueCounts {
  /** Ready to be received. */
  readonly visible: number;
  /** Received and not yet deleted or released. */
  readonly inFlight: number;
  /** Not yet visible because of a delay. */
  readonly delayed: number;
}

/**
 * Reads a queue's approximate counts.
 *
 * @param sqs - an SQS client for the emulator.
 * @param queueUrl - the queue.
 * @returns visible, in-flight and delayed counts.
 * @example
 * ```ts
 * import { queueCounts } from '@batch-decline/testing';
 *
 * const { visible, inFlight } = await queueCounts(sqs, queueUrl);
 * ```
 */
export async function queueCounts(sqs: SQSClient, queueUrl: string): Promise<QueueCounts> {
  const { Attributes: attributes = {} } = await sqs.send(
    new GetQueueAttributesCommand({
      QueueUrl: queueUrl,
      AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible', 'ApproximateNumberOfMessagesDelayed'],
    }),
  );
  return {
    visible: Number(attributes.ApproximateNumberOfMessages ?? 0),
    inFlight: Number(attributes.ApproximateNumberOfMessagesNotVisible ?? 0),
    delayed: Number(attributes.ApproximateNumberOfMessagesDelayed ?? 0),
  };
}

/**
 * Receives every message currently visible on a queue (with all attributes), and deletes
 * them unless told not to. Useful to read a dead-letter queue at the end of a test.
 *
 * @param sqs - an SQS client for the emulator.
 * @param queueUrl - the queue.
 * @param options - `keep`: leave the messages on the queue (they become visible again
 *   after the visibility timeout, 30 s unless `visibilityTimeout` says otherwise).
 * @returns the messages.
 * @example
 * ```ts
 * import { drainQueue } from '@batch-decline/testing';
 *
 * const deadLetters = await drainQueue(sqs, deadLetterQueueUrl);
 * ```
 */
export async function drainQueue(
  sqs: SQSClient,
  queueUrl: string,
  options: { keep?: boolean; visibilityTimeout?: number } = {},
): Promise<Message[]> {
  const messages: Message[] = [];
  for (;;) {
    const { Messages: batch = [] } = await sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: queueUrl,
        MaxNumberOfMessages: 10,
        WaitTimeSeconds: 0,
        VisibilityTimeout: options.visibilityTimeout ?? 30,
        MessageSystemAttributeNames: ['All'],
        MessageAttributeNames: ['All'],
      }),
    );
    if (batch.length === 0) return messages;
    messages.push(...batch);
    if (!options.keep) {
      await sqs.send(
        new DeleteMessageBatchCommand({
          QueueUrl: queueUrl,
          Entries: batch.map((message, index) => ({ Id: String(index), ReceiptHandle: message.ReceiptHandle! })),
        }),
      );
    }
  }
}
