import { SendMessageBatchCommand, type MessageAttributeValue, type SQSClient } from '@aws-sdk/client-sqs';
import type { FailedResult } from './types.js';

/** Message attributes set on every message this library dead-letters. */
export const DEAD_LETTER_ATTRIBUTES = {
  /** The error's message: why the message could not be processed. */
  reason: 'batchDecline.failureReason',
  /** The error's name, e.g. `InvalidMessageError`. */
  errorName: 'batchDecline.errorName',
  /** The message id on the source queue. */
  sourceMessageId: 'batchDecline.sourceMessageId',
} as const;

/** Where each dead-lettered record ended. */
export interface DeadLetterResult {
  /** Ids of records now on the dead-letter queue. */
  readonly sent: readonly string[];
  /** Records that could not be sent, with why: keep them on the source queue. */
  readonly failed: readonly { readonly id: string; readonly error: Error }[];
}

const MAX_REASON_LENGTH = 1024;

/**
 * Sends permanently failed records to a dead-letter queue at once, with the failure reason
 * as message attributes, so they do not burn the source queue's `maxReceiveCount` retries.
 * The body is forwarded unchanged; on a FIFO dead-letter queue the record's group is kept
 * and its message id is the deduplication id.
 *
 * @param sqs - an `SQSClient`.
 * @param deadLetterQueueUrl - the dead-letter queue.
 * @param failures - the records to send (usually the `permanent` ones of a report).
 * @returns which records were sent and which were not (delete only the sent ones).
 * @example
 * ```ts
 * import { forwardToDeadLetterQueue } from '@batch-decline/core';
 *
 * const permanent = report.results.filter((r) => r.status === 'failed' && r.kind === 'permanent');
 * const { sent, failed } = await forwardToDeadLetterQueue(sqs, dlqUrl, permanent);
 * ```
 */
export async function forwardToDeadLetterQueue(
  sqs: Pick<SQSClient, 'send'>,
  deadLetterQueueUrl: string,
  failures: readonly FailedResult[],
): Promise<DeadLetterResult> {
  const fifo = deadLetterQueueUrl.endsWith('.fifo');
  const sent: string[] = [];
  const failed: { id: string; error: Error }[] = [];
  const chunks: FailedResult[][] = [];
  for (let i = 0; i < failures.length; i += 10) chunks.push(failures.slice(i, i + 10) as FailedResult[]);
  await Promise.all(
    chunks.map(async (chunk) => {
      try {
        const result = await sqs.send(
          new SendMessageBatchCommand({
            QueueUrl: deadLetterQueueUrl,
            Entries: chunk.map(({ record, error }, index) => ({
              Id: String(index),
              MessageBody: record.body === '' ? ' ' : record.body,
              MessageAttributes: reasonAttributes(record.id, error),
              ...(fifo ? { MessageGroupId: record.groupId ?? 'dead-letters', MessageDeduplicationId: record.id.slice(0, 128) } : {}),
            })),
          }),
        );
        for (const entry of result.Successful ?? []) sent.push(chunk[Number(entry.Id)]!.record.id);
        for (const entry of result.Failed ?? []) {
          failed.push({ id: chunk[Number(entry.Id)]!.record.id, error: new Error(`SendMessageBatch entry failed (${entry.Code}): ${entry.Message ?? ''}`) });
        }
      } catch (error) {
        for (const { record } of chunk) failed.push({ id: record.id, error: error as Error });
      }
    }),
  );
  return { sent, failed };
}

function reasonAttributes(messageId: string, error: Error): Record<string, MessageAttributeValue> {
  const reason = error.message.length > MAX_REASON_LENGTH ? `${error.message.slice(0, MAX_REASON_LENGTH)}…` : error.message;
  return {
    [DEAD_LETTER_ATTRIBUTES.reason]: { DataType: 'String', StringValue: reason || error.name },
    [DEAD_LETTER_ATTRIBUTES.errorName]: { DataType: 'String', StringValue: error.name || 'Error' },
    [DEAD_LETTER_ATTRIBUTES.sourceMessageId]: { DataType: 'String', StringValue: messageId },
  };
}
