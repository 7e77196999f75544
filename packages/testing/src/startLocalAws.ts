import type { LocalAwsEndpoints } from './localClients.js';
import { startDynamoDbLocal, type DynamoDbLocal, type DynamoDbLocalOptions } from './startDynamoDbLocal.js';
import { startSqsEmulator, type SqsEmulator } from './startSqsEmulator.js';

/** Options of {@link startLocalAws}. */
export interface LocalAwsOptions {
  /**
   * Region for clients, ARNs and queue URLs.
   * @defaultValue `'us-east-1'`
   */
  readonly region?: string;
  /**
   * DynamoDB Local options (port, java command, start timeout).
   * @defaultValue free port, `java` from the PATH, 30 s
   */
  readonly dynamodb?: DynamoDbLocalOptions;
}

/** DynamoDB Local and the SQS emulator, running. */
export interface LocalAws extends LocalAwsEndpoints {
  readonly dynamodb: DynamoDbLocal;
  readonly sqs: SqsEmulator;
  /** Stops both services. Safe to call twice. */
  stop(): Promise<void>;
}

/**
 * Starts DynamoDB Local and the SQS emulator side by side on free loopback ports.
 *
 * @param options - region and DynamoDB Local options.
 * @returns both services and their endpoints.
 * @throws JavaNotFoundError when DynamoDB Local cannot find Java.
 * @throws LocalServiceStartError when a service does not come up.
 * @example
 * ```ts
 * import { startLocalAws, createApplicationsTable, createDynamoDbClient } from '@batch-decline/testing';
 *
 * const aws = await startLocalAws();
 * try {
 *   await createApplicationsTable(createDynamoDbClient(aws), 'applications');
 * } finally {
 *   await aws.stop();
 * }
 * ```
 */
export async function startLocalAws(options: LocalAwsOptions = {}): Promise<LocalAws> {
  const region = options.region ?? 'us-east-1';
  const [dynamodb, sqs] = await Promise.allSettled([startDynamoDbLocal(options.dynamodb), startSqsEmulator({ region })]);
  if (dynamodb.status === 'rejected' || sqs.status === 'rejected') {
    await Promise.all([
      dynamodb.status === 'fulfilled' ? dynamodb.value.stop() : undefined,
      sqs.status === 'fulfilled' ? sqs.value.stop() : undefined,
    ]);
    throw dynamodb.status === 'rejected' ? dynamodb.reason : (sqs as PromiseRejectedResult).reason;
  }
  return {
    region,
    dynamodbEndpoint: dynamodb.value.endpoint,
    sqsEndpoint: sqs.value.endpoint,
    dynamodb: dynamodb.value,
    sqs: sqs.value,
    stop: async () => {
      await Promise.all([dynamodb.value.stop(), sqs.value.stop()]);
    },
  };
}
