import { createSqsConsumer } from '@batch-decline/consumer';
import { createApplicationRepository, createDeclineHandler, silentLogger } from '@batch-decline/core';
import { createDynamoDbClient, createSqsClient, sendMessages, type LocalAwsEndpoints } from '@batch-decline/testing';
import { prepare } from './fixtures.js';

const gc = () => (globalThis as { gc?: () => void }).gc?.();

async function settle(): Promise<number> {
  for (let i = 0; i < 3; i += 1) {
    gc();
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return process.memoryUsage().rss;
}

/**
 * Resident memory of this process (consumer, SDK clients and the in-process SQS emulator)
 * after a warm-up of `warmup` messages and again after `count` more, both times with the
 * queue empty and after garbage collection. Bytes of growth.
 */
export async function memoryGrowth(endpoints: LocalAwsEndpoints, warmup: number, count: number): Promise<{ before: number; after: number; messages: number }> {
  const dynamodb = createDynamoDbClient(endpoints);
  const sqs = createSqsClient(endpoints);
  const { tableName, queueUrl, bodies: all } = await prepare(dynamodb, sqs, warmup + count, warmup);
  const bodies = all.slice(0, warmup);
  const rest = all.slice(warmup);
  const consumer = createSqsConsumer({ queueUrl, sqs, waitTimeSeconds: 1, logger: silentLogger, handler: createDeclineHandler(createApplicationRepository({ client: dynamodb, tableName, writeMode: 'batched' })) });
  let settled = 0;
  consumer.on('processed', () => void settled++);
  await consumer.start();
  const waitFor = async (target: number) => {
    while (settled < target) await new Promise((resolve) => setTimeout(resolve, 50));
  };
  await waitFor(bodies.length);
  const before = await settle();
  for (let i = 0; i < rest.length; i += 5000) {
    await sendMessages(sqs, queueUrl, rest.slice(i, i + 5000));
    await waitFor(bodies.length + Math.min(rest.length, i + 5000));
  }
  await consumer.stop();
  const after = await settle();
  dynamodb.destroy();
  sqs.destroy();
  return { before, after, messages: count };
}
