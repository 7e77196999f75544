import { randomUUID } from 'node:crypto';
import {
  DeleteMessageBatchCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  type Message,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { queueCounts } from './queues.js';

/** A Lambda handler for SQS events (the result may be void, as Lambda allows). */
export type SqsLambdaHandler = (event: SQSEvent, context: Context) => Promise<SQSBatchResponse | void | null | undefined>;

/** Options of {@link runEventSourceMapping}. */
export interface EventSourceMappingOptions {
  /** An SQS client for the queue. */
  readonly sqs: SQSClient;
  /** The source queue. */
  readonly queueUrl: string;
  /** The function's handler. */
  readonly handler: SqsLambdaHandler;
  /**
   * Most messages in one event (SQS returns at most 10 a receive; larger batches take several receives).
   * @defaultValue 10
   */
  readonly batchSize?: number;
  /**
   * The function timeout: the context's remaining time counts down from it, and an
   * invocation still running then counts as timed out (nothing of its batch is deleted).
   * @defaultValue 30000
   */
  readonly functionTimeoutMs?: number;
  /**
   * Invocations running at once (the mapping's concurrent pollers).
   * @defaultValue 2
   */
  readonly concurrency?: number;
  /**
   * Long-poll wait of each receive, in seconds.
   * @defaultValue 1
   */
  readonly waitTimeSeconds?: number;
  /**
   * Give up (and reject) when the queue is not drained by then.
   * @defaultValue 120000
   */
  readonly maxDurationMs?: number;
  /**
   * Stops polling when aborted; otherwise polling stops once the queue holds nothing
   * visible, in flight or delayed.
   * @defaultValue none: run until drained
   */
  readonly signal?: AbortSignal;
}

/** What a run did. */
export interface EventSourceMappingStats {
  readonly invocations: number;
  readonly messagesReceived: number;
  readonly messagesDeleted: number;
  /** Invocations that threw (the whole batch returns to the queue). */
  readonly invocationErrors: number;
  /** Invocations that outlived the function timeout (the whole batch returns to the queue). */
  readonly timeouts: number;
  /** Responses naming an id outside the batch, or an empty one: Lambda fails the whole batch. */
  readonly invalidResponses: number;
  /** Messages the handler reported in `batchItemFailures`. */
  readonly reportedFailures: number;
}

/**
 * Feeds a real (emulated) SQS queue to a Lambda handler the way Lambda's SQS event source
 * mapping with `ReportBatchItemFailures` does: receives up to `batchSize` messages, shapes
 * the event exactly as Lambda does (attributes, message attributes, `md5OfBody`,
 * `eventSourceARN`, `awsRegion`), invokes with a context whose remaining time counts
 * down, deletes every message not reported in `batchItemFailures`, and leaves the rest to
 * the visibility timeout and the queue's redrive policy. A thrown error, a timeout, or a
 * response naming an unknown id fails the whole batch.
 *
 * @param options - queue, handler, batch size, timeout, concurrency.
 * @returns counts of what happened, once the queue is drained (or `signal` aborts).
 * @throws Error when the queue is not drained within `maxDurationMs`.
 * @example
 * ```ts
 * import { runEventSourceMapping } from '@batch-decline/testing';
 *
 * const stats = await runEventSourceMapping({ sqs, queueUrl, handler, batchSize: 5 });
 * ```
 */
export async function runEventSourceMapping(options: EventSourceMappingOptions): Promise<EventSourceMappingStats> {
  const { sqs, queueUrl, handler, signal } = options;
  const batchSize = options.batchSize ?? 10;
  const timeoutMs = options.functionTimeoutMs ?? 30_000;
  const until = Date.now() + (options.maxDurationMs ?? 120_000);
  const { Attributes } = await sqs.send(new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ['QueueArn'] }));
  const queueArn = Attributes?.QueueArn ?? '';
  const stats = { invocations: 0, messagesReceived: 0, messagesDeleted: 0, invocationErrors: 0, timeouts: 0, invalidResponses: 0, reportedFailures: 0 };
  let drained = false;

  const receiveBatch = async (): Promise<Message[]> => {
    const messages: Message[] = [];
    while (messages.length < batchSize) {
      const { Messages = [] } = await sqs.send(
        new ReceiveMessageCommand({
          QueueUrl: queueUrl,
          MaxNumberOfMessages: Math.min(10, batchSize - messages.length),
          WaitTimeSeconds: messages.length === 0 ? (options.waitTimeSeconds ?? 1) : 0,
          MessageSystemAttributeNames: ['All'],
          MessageAttributeNames: ['All'],
        }),
      );
      messages.push(...Messages);
      if (Messages.length === 0) break;
    }
    return messages;
  };

  const invoke = async (messages: Message[]) => {
    stats.invocations += 1;
    stats.messagesReceived += messages.length;
    const event = toSqsEvent(messages, queueArn);
    const deadline = Date.now() + timeoutMs;
    const context = lambdaContext(deadline, timeoutMs);
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), timeoutMs)));
    const running = Promise.resolve().then(() => handler(event, context));
    running.catch(() => undefined);
    let response: Awaited<ReturnType<SqsLambdaHandler>> | 'timeout';
    try {
      response = await Promise.race([running, timedOut]);
    } catch {
      stats.invocationErrors += 1;
      return;
    } finally {
      clearTimeout(timer);
    }
    if (response === 'timeout') {
      stats.timeouts += 1;
      return;
    }
    const ids = new Set(event.Records.map((record) => record.messageId));
    const failures = response?.batchItemFailures ?? [];
    if (!Array.isArray(failures) || failures.some((failure) => typeof failure?.itemIdentifier !== 'string' || !ids.has(failure.itemIdentifier))) {
      stats.invalidResponses += 1;
      return;
    }
    stats.reportedFailures += failures.length;
    const failed = new Set(failures.map((failure) => failure.itemIdentifier));
    const toDelete = messages.filter((message) => !failed.has(message.MessageId!));
    for (let i = 0; i < toDelete.length; i += 10) {
      const chunk = toDelete.slice(i, i + 10);
      const result = await sqs.send(
        new DeleteMessageBatchCommand({
          QueueUrl: queueUrl,
          Entries: chunk.map((message, index) => ({ Id: String(index), ReceiptHandle: message.ReceiptHandle! })),
        }),
      );
      stats.messagesDeleted += result.Successful?.length ?? 0;
    }
  };

  const poller = async () => {
    while (!drained && !signal?.aborted) {
      if (Date.now() > until) throw new Error(`runEventSourceMapping: the queue was not drained within ${options.maxDurationMs ?? 120_000} ms`);
      const messages = await receiveBatch();
      if (messages.length > 0) {
        await invoke(messages);
        continue;
      }
      const counts = await queueCounts(sqs, queueUrl);
      if (counts.visible + counts.inFlight + counts.delayed === 0) drained = true;
    }
  };
  await Promise.all(Array.from({ length: options.concurrency ?? 2 }, poller));
  return stats;
}

/**
 * Shapes messages from `ReceiveMessage` (with all system and message attributes) into the
 * event Lambda's SQS event source mapping would deliver.
 *
 * @param messages - received messages.
 * @param queueArn - the source queue's ARN (its region becomes `awsRegion`).
 * @returns the SQS event.
 * @example
 * ```ts
 * import { toSqsEvent } from '@batch-decline/testing';
 *
 * const event = toSqsEvent(Messages, queueArn);
 * ```
 */
export function toSqsEvent(messages: readonly Message[], queueArn: string): SQSEvent {
  const region = queueArn.split(':')[3] || 'us-east-1';
  return { Records: messages.map((message) => toSqsRecord(message, queueArn, region)) };
}

function toSqsRecord(message: Message, queueArn: string, region: string): SQSRecord {
  const attributes = (message.Attributes ?? {}) as Record<string, string>;
  const messageAttributes: SQSRecord['messageAttributes'] = {};
  for (const [name, value] of Object.entries(message.MessageAttributes ?? {})) {
    messageAttributes[name] = {
      ...(value.StringValue !== undefined ? { stringValue: value.StringValue } : {}),
      ...(value.BinaryValue !== undefined ? { binaryValue: Buffer.from(value.BinaryValue).toString('base64') } : {}),
      stringListValues: [],
      binaryListValues: [],
      dataType: value.DataType ?? 'String',
    };
  }
  return {
    messageId: message.MessageId!,
    receiptHandle: message.ReceiptHandle!,
    body: message.Body ?? '',
    attributes: {
      ApproximateReceiveCount: attributes.ApproximateReceiveCount ?? '1',
      SentTimestamp: attributes.SentTimestamp ?? String(Date.now()),
      SenderId: attributes.SenderId ?? 'AIDALOCALSENDER',
      ApproximateFirstReceiveTimestamp: attributes.ApproximateFirstReceiveTimestamp ?? String(Date.now()),
      ...(attributes.SequenceNumber ? { SequenceNumber: attributes.SequenceNumber } : {}),
      ...(attributes.MessageGroupId ? { MessageGroupId: attributes.MessageGroupId } : {}),
      ...(attributes.MessageDeduplicationId ? { MessageDeduplicationId: attributes.MessageDeduplicationId } : {}),
      ...(attributes.AWSTraceHeader ? { AWSTraceHeader: attributes.AWSTraceHeader } : {}),
    },
    messageAttributes,
    md5OfBody: message.MD5OfBody ?? '',
    ...(message.MD5OfMessageAttributes ? { md5OfMessageAttributes: message.MD5OfMessageAttributes } : {}),
    eventSource: 'aws:sqs',
    eventSourceARN: queueArn,
    awsRegion: region,
  };
}

function lambdaContext(deadline: number, timeoutMs: number): Context {
  const requestId = randomUUID();
  return {
    callbackWaitsForEmptyEventLoop: true,
    functionName: 'local-function',
    functionVersion: '$LATEST',
    invokedFunctionArn: 'arn:aws:lambda:us-east-1:000000000000:function:local-function',
    memoryLimitInMB: '128',
    awsRequestId: requestId,
    logGroupName: '/aws/lambda/local-function',
    logStreamName: `local/${requestId}`,
    getRemainingTimeInMillis: () => Math.max(0, Math.min(timeoutMs, deadline - Date.now())),
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
}
