import { UpdateItemCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import { createApplicationRepository, createDeclineHandler, processBatch, silentLogger } from '@batch-decline/core';
import { createSqsHandler } from '@batch-decline/lambda';
import { createDynamoDbClient, type LocalAwsEndpoints } from '@batch-decline/testing';
import type { Context, SQSEvent, SQSRecord } from 'aws-lambda';
import { prepare } from './fixtures.js';

function sqsEvent(bodies: readonly string[], prefix: string): SQSEvent {
  return {
    Records: bodies.map((body, index) => ({
      messageId: `${prefix}-${index}`,
      receiptHandle: `rh-${index}`,
      body,
      attributes: { ApproximateReceiveCount: '1', SentTimestamp: '0', SenderId: 'bench', ApproximateFirstReceiveTimestamp: '0' },
      messageAttributes: {},
      md5OfBody: '',
      eventSource: 'aws:sqs',
      eventSourceARN: 'arn:aws:sqs:us-east-1:000000000000:bench',
      awsRegion: 'us-east-1',
    })),
  };
}

const context = { getRemainingTimeInMillis: () => 30_000, awsRequestId: 'bench' } as unknown as Context;

/** The seed's record handler (one UpdateItem per record, ReturnValues ALL_NEW), in TypeScript. */
function seedRecordHandler(client: DynamoDBClient, tableName: string) {
  return async (record: SQSRecord) => {
    const item = JSON.parse(record.body) as { jobId: string; id: string };
    const key = `JOB#${item.jobId}#APPLICATION#${item.id}`;
    await client.send(
      new UpdateItemCommand({
        TableName: tableName,
        Key: { PK: { S: key }, SK: { S: key } },
        ConditionExpression: 'attribute_exists(PK)',
        UpdateExpression: 'set jobApplicationStatus= :jobApplicationStatus',
        ExpressionAttributeValues: { ':jobApplicationStatus': { S: 'DECLINED' } },
        ReturnValues: 'ALL_NEW',
      }),
    );
  };
}

export const LAMBDA_CONTENDERS = ['batch-decline (batched)', 'Powertools BatchProcessor (seed logic)'] as const;

/**
 * Latency of single invocations with `size` records, alternating contenders; every
 * invocation declines applications that are still pending. Milliseconds per invocation.
 */
export async function lambdaLatencies(endpoints: LocalAwsEndpoints, size: number, invocations: number): Promise<Record<(typeof LAMBDA_CONTENDERS)[number], number[]>> {
  const client = createDynamoDbClient(endpoints);
  const { tableName, bodies } = await prepare(client, undefined, size * invocations * 2);
  const ours = createSqsHandler(createDeclineHandler(createApplicationRepository({ client, tableName, writeMode: 'batched' })), { logger: silentLogger });
  const seed = seedRecordHandler(client, tableName);
  const samples = { 'batch-decline (batched)': [] as number[], 'Powertools BatchProcessor (seed logic)': [] as number[] };
  let offset = 0;
  for (let i = 0; i < invocations; i += 1) {
    const order = i % 2 === 0 ? LAMBDA_CONTENDERS : [...LAMBDA_CONTENDERS].reverse();
    for (const contender of order) {
      const event = sqsEvent(bodies.slice(offset, offset + size), `m${offset}`);
      offset += size;
      const started = performance.now();
      if (contender === 'batch-decline (batched)') await ours(event, context);
      else await processPartialResponse(event, seed, new BatchProcessor(EventType.SQS), { context });
      samples[contender].push(performance.now() - started);
    }
  }
  client.destroy();
  return samples;
}

/** Records per second through each engine with a no-op handler (`batches` batches of `size`). */
export async function engineOverhead(size: number, batches: number): Promise<{ processBatch: number; powertools: number }> {
  const event = sqsEvent(Array.from({ length: size }, () => '{}'), 'noop');
  const records = event.Records.map((record) => ({ id: record.messageId, body: record.body }));
  const noop = async () => undefined;
  const time = async (run: () => Promise<unknown>) => {
    const started = performance.now();
    for (let i = 0; i < batches; i += 1) await run();
    return (size * batches) / ((performance.now() - started) / 1000);
  };
  // Warm both paths first.
  await time(() => processBatch(records, noop));
  await time(() => processPartialResponse(event, noop, new BatchProcessor(EventType.SQS), { context }));
  const results = { processBatch: [] as number[], powertools: [] as number[] };
  for (let round = 0; round < 3; round += 1) {
    results.processBatch.push(await time(() => processBatch(records, noop)));
    results.powertools.push(await time(() => processPartialResponse(event, noop, new BatchProcessor(EventType.SQS), { context })));
  }
  const best = (values: number[]) => [...values].sort((a, b) => a - b)[1]!;
  return { processBatch: best(results.processBatch), powertools: best(results.powertools) };
}
