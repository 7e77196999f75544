import { BatchExecuteStatementCommand, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import { createDynamoDbClient, type LocalAwsEndpoints } from '@batch-decline/testing';
import { prepare } from './fixtures.js';

/**
 * The raw write rate of DynamoDB Local with no SQS at all: `count` conditional declines as a
 * pool of `UpdateItem` calls (`concurrency` in flight) or of `BatchExecuteStatement` calls
 * (`chunk` statements each, `concurrency / chunk` in flight). Writes per second.
 */
export async function rawWrites(endpoints: LocalAwsEndpoints, kind: 'UpdateItem' | 'BatchExecuteStatement', count: number, concurrency: number, chunk = 10): Promise<number> {
  const client = createDynamoDbClient(endpoints);
  const { tableName, applications } = await prepare(client, undefined, count);
  const keys = applications.map((a) => `JOB#${a.jobId}#APPLICATION#${a.applicationId}`);
  const now = new Date().toISOString();
  let next = 0;
  const started = performance.now();
  const worker = async () => {
    for (;;) {
      if (kind === 'UpdateItem') {
        const key = keys[next++];
        if (key === undefined) return;
        await client.send(
          new UpdateItemCommand({
            TableName: tableName,
            Key: { PK: { S: key }, SK: { S: key } },
            ConditionExpression: 'attribute_exists(PK) AND jobApplicationStatus = :from',
            UpdateExpression: 'SET jobApplicationStatus = :to, declinedAt = :now',
            ExpressionAttributeValues: { ':from': { S: 'PENDING' }, ':to': { S: 'DECLINED' }, ':now': { S: now } },
            ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
          }),
        );
      } else {
        const batch = keys.slice(next, next + chunk);
        next += chunk;
        if (batch.length === 0) return;
        await client.send(
          new BatchExecuteStatementCommand({
            Statements: batch.map((key) => ({
              Statement: `UPDATE "${tableName}" SET "jobApplicationStatus" = ? SET "declinedAt" = ? WHERE "PK" = ? AND "SK" = ? AND "jobApplicationStatus" = ?`,
              Parameters: [{ S: 'DECLINED' }, { S: now }, { S: key }, { S: key }, { S: 'PENDING' }],
              ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
            })),
          }),
        );
      }
    }
  };
  const workers = kind === 'UpdateItem' ? concurrency : Math.max(1, Math.round(concurrency / chunk));
  await Promise.all(Array.from({ length: workers }, worker));
  const perSecond = count / ((performance.now() - started) / 1000);
  client.destroy();
  return perSecond;
}
