import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SQSClient } from '@aws-sdk/client-sqs';

/** Where the local services listen, as handed from a global setup to tests. */
export interface LocalAwsEndpoints {
  /** DynamoDB Local, `http://127.0.0.1:<port>`. */
  readonly dynamodbEndpoint: string;
  /** The SQS emulator, `http://127.0.0.1:<port>`. */
  readonly sqsEndpoint: string;
  readonly region: string;
}

/** The fixed credentials every local client uses (DynamoDB Local runs with one shared database anyway). */
export const localCredentials = { accessKeyId: 'local', secretAccessKey: 'local' } as const;

/**
 * A `DynamoDBClient` for DynamoDB Local.
 *
 * @param endpoints - from `startLocalAws` or the vitest global setup.
 * @param config - extra client configuration (e.g. `maxAttempts`).
 * @returns the client.
 * @example
 * ```ts
 * import { createDynamoDbClient, startLocalAws } from '@batch-decline/testing';
 *
 * const aws = await startLocalAws();
 * const dynamodb = createDynamoDbClient(aws);
 * ```
 */
export function createDynamoDbClient(
  endpoints: LocalAwsEndpoints,
  config: ConstructorParameters<typeof DynamoDBClient>[0] = {},
): DynamoDBClient {
  return new DynamoDBClient({
    endpoint: endpoints.dynamodbEndpoint,
    region: endpoints.region,
    credentials: localCredentials,
    ...config,
  });
}

/**
 * An `SQSClient` for the SQS emulator, with an explicit endpoint (so the emulator's queue
 * URL host, which does not resolve, is never contacted).
 *
 * @param endpoints - from `startLocalAws` or the vitest global setup.
 * @param config - extra client configuration.
 * @returns the client.
 * @example
 * ```ts
 * import { createSqsClient, startLocalAws } from '@batch-decline/testing';
 *
 * const aws = await startLocalAws();
 * const sqs = createSqsClient(aws);
 * ```
 */
export function createSqsClient(endpoints: LocalAwsEndpoints, config: ConstructorParameters<typeof SQSClient>[0] = {}): SQSClient {
  return new SQSClient({
    endpoint: endpoints.sqsEndpoint,
    region: endpoints.region,
    credentials: localCredentials,
    ...config,
  });
}

/**
 * Environment variables that point a child process's AWS SDK clients at the local services
 * (the SDK's own `AWS_ENDPOINT_URL_*` variables).
 *
 * @param endpoints - from `startLocalAws` or the vitest global setup.
 * @returns variables to merge into a child's environment.
 * @example
 * ```ts
 * import { localAwsEnvironment } from '@batch-decline/testing';
 *
 * spawn('batch-decline-consumer', [], { env: { ...process.env, ...localAwsEnvironment(aws) } });
 * ```
 */
export function localAwsEnvironment(endpoints: LocalAwsEndpoints): Record<string, string> {
  return {
    AWS_REGION: endpoints.region,
    AWS_ACCESS_KEY_ID: localCredentials.accessKeyId,
    AWS_SECRET_ACCESS_KEY: localCredentials.secretAccessKey,
    AWS_ENDPOINT_URL_DYNAMODB: endpoints.dynamodbEndpoint,
    AWS_ENDPOINT_URL_SQS: endpoints.sqsEndpoint,
  };
}
