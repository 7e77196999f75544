import {
  BatchWriteItemCommand,
  CreateTableCommand,
  ScanCommand,
  type AttributeValue,
  type DynamoDBClient,
} from '@aws-sdk/client-dynamodb';

/** An application as the seed stores it. */
export interface SeedApplication {
  readonly jobId: string;
  readonly applicationId: string;
  /** The `jobApplicationStatus`, e.g. `PENDING`, `ACCEPTED`, `WITHDRAWN`, `DECLINED`. */
  readonly status: string;
  /** Extra string attributes to store. */
  readonly attributes?: Readonly<Record<string, string>>;
}

/** An item as read back: its raw DynamoDB attributes. */
export type StoredItem = Record<string, AttributeValue>;

/**
 * Creates the applications table (`PK`/`SK` strings, on-demand) and waits until it is active.
 *
 * @param client - a DynamoDB client for the local service.
 * @param tableName - the table name.
 * @returns when the table exists.
 * @example
 * ```ts
 * import { createApplicationsTable } from '@batch-decline/testing';
 *
 * await createApplicationsTable(dynamodb, 'applications');
 * ```
 */
export async function createApplicationsTable(client: DynamoDBClient, tableName: string): Promise<void> {
  await client.send(
    new CreateTableCommand({
      TableName: tableName,
      BillingMode: 'PAY_PER_REQUEST',
      KeySchema: [
        { AttributeName: 'PK', KeyType: 'HASH' },
        { AttributeName: 'SK', KeyType: 'RANGE' },
      ],
      AttributeDefinitions: [
        { AttributeName: 'PK', AttributeType: 'S' },
        { AttributeName: 'SK', AttributeType: 'S' },
      ],
    }),
  );
}

/**
 * The seed's key for an application: `JOB#<jobId>#APPLICATION#<applicationId>`.
 *
 * @param jobId - the job id.
 * @param applicationId - the application id.
 * @returns the `PK` (and `SK`) value.
 * @example
 * ```ts
 * import { applicationKey } from '@batch-decline/testing';
 *
 * applicationKey('1', '2'); // 'JOB#1#APPLICATION#2'
 * ```
 */
export function applicationKey(jobId: string, applicationId: string): string {
  return `JOB#${jobId}#APPLICATION#${applicationId}`;
}

/**
 * Writes applications with `BatchWriteItem` (25 per call, several calls at once),
 * retrying unprocessed items.
 *
 * @param client - a DynamoDB client for the local service.
 * @param tableName - the table.
 * @param applications - what to store.
 * @returns when every item is written.
 * @example
 * ```ts
 * import { seedApplications } from '@batch-decline/testing';
 *
 * await seedApplications(dynamodb, 'applications', [{ jobId: '1', applicationId: '2', status: 'PENDING' }]);
 * ```
 */
export async function seedApplications(
  client: DynamoDBClient,
  tableName: string,
  applications: readonly SeedApplication[],
): Promise<void> {
  const chunks: SeedApplication[][] = [];
  for (let i = 0; i < applications.length; i += 25) chunks.push(applications.slice(i, i + 25));
  const writeChunk = async (chunk: SeedApplication[]) => {
    let requests = chunk.map((application) => ({ PutRequest: { Item: toItem(application) } }));
    for (let attempt = 0; requests.length > 0; attempt += 1) {
      if (attempt > 10) throw new Error(`seedApplications: ${requests.length} items still unprocessed after 10 retries`);
      const result = await client.send(new BatchWriteItemCommand({ RequestItems: { [tableName]: requests } }));
      requests = (result.UnprocessedItems?.[tableName] ?? []) as typeof requests;
      if (requests.length > 0) await new Promise((resolve) => setTimeout(resolve, 20 * 2 ** attempt));
    }
  };
  let next = 0;
  const worker = async () => {
    while (next < chunks.length) await writeChunk(chunks[next++]!);
  };
  await Promise.all(Array.from({ length: 8 }, worker));
}

function toItem(application: SeedApplication): StoredItem {
  const key = applicationKey(application.jobId, application.applicationId);
  const item: StoredItem = {
    PK: { S: key },
    SK: { S: key },
    jobId: { S: application.jobId },
    applicationId: { S: application.applicationId },
    jobApplicationStatus: { S: application.status },
  };
  for (const [name, value] of Object.entries(application.attributes ?? {})) item[name] = { S: value };
  return item;
}

/**
 * Reads every item of a table (a paginated `Scan`), keyed by `PK`.
 *
 * @param client - a DynamoDB client for the local service.
 * @param tableName - the table.
 * @returns the items by `PK`.
 * @example
 * ```ts
 * import { readApplications, applicationKey } from '@batch-decline/testing';
 *
 * const items = await readApplications(dynamodb, 'applications');
 * items.get(applicationKey('1', '2'))?.jobApplicationStatus?.S;
 * ```
 */
export async function readApplications(client: DynamoDBClient, tableName: string): Promise<Map<string, StoredItem>> {
  const items = new Map<string, StoredItem>();
  let startKey: StoredItem | undefined;
  do {
    const page = await client.send(new ScanCommand({ TableName: tableName, ExclusiveStartKey: startKey, ConsistentRead: true }));
    for (const item of page.Items ?? []) items.set(item.PK?.S ?? JSON.stringify(item), item);
    startKey = page.LastEvaluatedKey;
  } while (startKey);
  return items;
}
