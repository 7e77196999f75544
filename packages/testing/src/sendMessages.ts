import { randomUUID } from 'node:crypto';
import { SendMessageBatchCommand, type SQSClient } from '@aws-sdk/client-sqs';

/**
 * Sends raw bodies to a queue with `SendMessageBatch` (10 per call, 8 calls at once). On a
 * FIFO queue, `groupOf` gives each body its group and every message gets a unique
 * deduplication id.
 *
 * @param sqs - an SQS client for the emulator.
 * @param queueUrl - the queue.
 * @param bodies - the message bodies, sent in order within each call.
 * @param groupOf - FIFO only: the `MessageGroupId` of the body at an index.
 * @returns when every body is on the queue.
 * @throws Error when an entry is refused.
 * @example
 * ```ts
 * import { sendMessages } from '@batch-decline/testing';
 *
 * await sendMessages(sqs, queueUrl, ['{"jobId":"1","id":"2"}', 'not json']);
 * ```
 */
export async function sendMessages(
  sqs: SQSClient,
  queueUrl: string,
  bodies: readonly string[],
  groupOf?: (index: number) => string,
): Promise<void> {
  const starts: number[] = [];
  for (let i = 0; i < bodies.length; i += 10) starts.push(i);
  let next = 0;
  const worker = async () => {
    while (next < starts.length) {
      const start = starts[next++]!;
      const result = await sqs.send(
        new SendMessageBatchCommand({
          QueueUrl: queueUrl,
          Entries: bodies.slice(start, start + 10).map((body, offset) => ({
            Id: String(offset),
            MessageBody: body,
            ...(groupOf ? { MessageGroupId: groupOf(start + offset), MessageDeduplicationId: randomUUID() } : {}),
          })),
        }),
      );
      if (result.Failed?.length) throw new Error(`sendMessages: ${result.Failed.length} entries refused: ${result.Failed[0]?.Message ?? ''}`);
    }
  };
  // FIFO order within a group needs one sender.
  await Promise.all(Array.from({ length: groupOf ? 1 : 8 }, worker));
}
