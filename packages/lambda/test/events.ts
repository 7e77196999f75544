import { randomUUID } from 'node:crypto';
import { DeleteMessageBatchCommand, ReceiveMessageCommand, type Message, type SQSClient } from '@aws-sdk/client-sqs';
import { toSqsEvent } from '@batch-decline/testing';
import type { SQSEvent } from 'aws-lambda';
import type { LambdaContextLike } from '../src/types.js';

/** Receives up to `count` messages and shapes them into an SQS event as Lambda does. */
export async function receiveEvent(sqs: SQSClient, queueUrl: string, queueArn: string, count: number): Promise<SQSEvent> {
  const messages: Message[] = [];
  for (let attempt = 0; messages.length < count && attempt < 50; attempt += 1) {
    const { Messages = [] } = await sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: queueUrl,
        MaxNumberOfMessages: Math.min(10, count - messages.length),
        WaitTimeSeconds: 0,
        MessageSystemAttributeNames: ['All'],
        MessageAttributeNames: ['All'],
        VisibilityTimeout: 30,
      }),
    );
    messages.push(...Messages);
  }
  return toSqsEvent(messages, queueArn);
}

/** A context whose remaining time counts down from `ms`. */
export function contextWithRemaining(ms: number): LambdaContextLike {
  const deadline = Date.now() + ms;
  return { getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()), awsRequestId: randomUUID() };
}

/**
 * Like `receiveEvent` for a FIFO queue. The emulator hands out one in-flight message per
 * group at a time (real SQS can return several), so each received message is deleted to let
 * the next of its group through; the event is built from the messages as received.
 */
export async function receiveFifoEvent(sqs: SQSClient, queueUrl: string, queueArn: string, count: number): Promise<SQSEvent> {
  const messages: Message[] = [];
  for (let attempt = 0; messages.length < count && attempt < 100; attempt += 1) {
    const { Messages = [] } = await sqs.send(
      new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 0, MessageSystemAttributeNames: ['All'] }),
    );
    messages.push(...Messages);
    if (Messages.length > 0) {
      await sqs.send(
        new DeleteMessageBatchCommand({ QueueUrl: queueUrl, Entries: Messages.map((m, i) => ({ Id: String(i), ReceiptHandle: m.ReceiptHandle! })) }),
      );
    }
  }
  return toSqsEvent(messages, queueArn);
}
