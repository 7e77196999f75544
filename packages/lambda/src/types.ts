/**
 * The SQS event types, structurally identical to `@types/aws-lambda`'s `SQSEvent`,
 * `SQSRecord`, `Context` and `SQSBatchResponse` (so either can be used), declared here so
 * the package needs no types dependency.
 */

/** A message attribute as Lambda delivers it. */
export interface SqsMessageAttribute {
  stringValue?: string | undefined;
  binaryValue?: string | undefined;
  stringListValues?: string[] | undefined;
  binaryListValues?: string[] | undefined;
  dataType: string;
}

/** One SQS message as Lambda delivers it. */
export interface SqsEventRecord {
  messageId: string;
  receiptHandle: string;
  body: string;
  attributes: {
    ApproximateReceiveCount: string;
    SentTimestamp: string;
    SenderId: string;
    ApproximateFirstReceiveTimestamp: string;
    AWSTraceHeader?: string | undefined;
    SequenceNumber?: string | undefined;
    MessageGroupId?: string | undefined;
    MessageDeduplicationId?: string | undefined;
    DeadLetterQueueSourceArn?: string | undefined;
  };
  messageAttributes: Record<string, SqsMessageAttribute>;
  md5OfBody: string;
  md5OfMessageAttributes?: string | null | undefined;
  eventSource: string;
  eventSourceARN: string;
  awsRegion: string;
}

/** The event an SQS event source mapping invokes a function with. */
export interface SqsEvent {
  Records: SqsEventRecord[];
}

/** The partial batch response: the messages Lambda must not delete. */
export interface SqsBatchResponse {
  batchItemFailures: { itemIdentifier: string }[];
}

/** The part of the Lambda context the adapter uses. */
export interface LambdaContextLike {
  /** Milliseconds left before Lambda stops the invocation. */
  getRemainingTimeInMillis(): number;
  /** The invocation's request id (added to log entries). */
  awsRequestId?: string;
  /** The function's name. */
  functionName?: string;
}
