import { randomUUID } from 'node:crypto';
import type {} from './vitestGlobalSetup.js';
import { inject } from 'vitest';
import { createApplicationsTable } from './applicationsTable.js';
import { createDynamoDbClient, createSqsClient, type LocalAwsEndpoints } from './localClients.js';
import { createQueueWithDeadLetterQueue, type QueueWithDlqOptions } from './queues.js';

/**
 * A name no other test uses: `<prefix>-<8 random hex characters>`.
 *
 * @param prefix - a readable prefix.
 * @returns the name.
 * @example
 * ```ts
 * import { uniqueName } from '@batch-decline/testing/vitest';
 *
 * uniqueName('applications'); // 'applications-1f2e3d4c'
 * ```
 */
export function uniqueName(prefix: string): string {
  return `${prefix}-${randomUUID().slice(0, 8)}`;
}

/**
 * Inside a vitest test run with the `@batch-decline/testing/vitest-global-setup` global
 * setup: the endpoints it started, clients for them, and makers of fresh tables and queues.
 *
 * @returns the endpoints, clients and helpers.
 * @example
 * ```ts
 * import { useLocalAws } from '@batch-decline/testing/vitest';
 *
 * const aws = useLocalAws();
 * const { tableName } = await aws.freshTable();
 * const { queueUrl } = await aws.freshQueue({ visibilityTimeout: 1 });
 * ```
 */
export function useLocalAws() {
  const endpoints: LocalAwsEndpoints = inject('localAws');
  const dynamodb = createDynamoDbClient(endpoints);
  const sqs = createSqsClient(endpoints);
  return {
    endpoints,
    dynamodb,
    sqs,
    /** Creates an applications table with a unique name. */
    async freshTable(): Promise<{ tableName: string }> {
      const tableName = uniqueName('applications');
      await createApplicationsTable(dynamodb, tableName);
      return { tableName };
    },
    /** Creates a queue (and its dead-letter queue) with a unique name. */
    freshQueue(options: Partial<QueueWithDlqOptions> = {}) {
      return createQueueWithDeadLetterQueue(sqs, { ...options, name: uniqueName(options.name ?? 'declines') });
    },
  };
}
