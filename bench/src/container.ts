import type { Message } from '@aws-sdk/client-sqs';
import { createSqsConsumer } from '@batch-decline/consumer';
import { createApplicationRepository, createDeclineHandler, silentLogger } from '@batch-decline/core';
import { countRequests, createDynamoDbClient, createSqsClient, type LocalAwsEndpoints } from '@batch-decline/testing';
import { Consumer } from 'sqs-consumer';
import { prepare } from './fixtures.js';

export const CONTAINER_CONTENDERS = ['batch-decline single', 'batch-decline batched', 'sqs-consumer handleMessage', 'sqs-consumer handleMessageBatch'] as const;
export type ContainerContender = (typeof CONTAINER_CONTENDERS)[number];

export interface ContainerRun {
  readonly perSecond: number;
  readonly sqsPerMessage: number;
  readonly dynamodbPerMessage: number;
}

/**
 * Drains `count` decline messages from a fresh queue into a fresh table with one contender,
 * and measures declines per second and requests per message (counted by SDK middleware).
 * sqs-consumer gets the batched repository too, its best configuration for this job.
 */
export async function drainWith(endpoints: LocalAwsEndpoints, contender: ContainerContender, count: number): Promise<ContainerRun> {
  const setupDynamodb = createDynamoDbClient(endpoints);
  const setupSqs = createSqsClient(endpoints);
  const { tableName, queueUrl } = await prepare(setupDynamodb, setupSqs, count);
  const dynamodb = createDynamoDbClient(endpoints);
  const sqs = createSqsClient(endpoints);
  const dynamodbCount = countRequests(dynamodb);
  const sqsCount = countRequests(sqs);
  const writeMode = contender === 'batch-decline single' ? 'single' : 'batched';
  const decline = createDeclineHandler(createApplicationRepository({ client: dynamodb, tableName, writeMode }));
  const signal = new AbortController().signal;
  let done = 0;
  let finish!: () => void;
  const finished = new Promise<void>((resolve) => (finish = resolve));
  const declined = () => {
    done += 1;
    if (done === count) finish();
  };
  const started = performance.now();
  let stop: () => Promise<unknown>;
  if (contender.startsWith('batch-decline')) {
    const consumer = createSqsConsumer({ queueUrl, sqs, waitTimeSeconds: 1, logger: silentLogger, handler: decline });
    consumer.on('processed', declined);
    await consumer.start();
    stop = () => consumer.stop();
  } else {
    const one = async (message: Message) => {
      await decline({ id: message.MessageId!, body: message.Body! }, { signal });
      declined();
      return message;
    };
    const consumer = Consumer.create({
      queueUrl,
      sqs,
      batchSize: 10,
      waitTimeSeconds: 1,
      pollingWaitTimeMs: 0,
      ...(contender === 'sqs-consumer handleMessage'
        ? { handleMessage: one }
        : {
            handleMessageBatch: async (messages: Message[]) => {
              const settled = await Promise.allSettled(messages.map(one));
              return settled.flatMap((result) => (result.status === 'fulfilled' ? [result.value] : []));
            },
          }),
    });
    consumer.on('error', () => undefined);
    consumer.on('processing_error', () => undefined);
    consumer.start();
    stop = async () => {
      consumer.stop({ abort: true });
      // sqs-consumer deletes after the handler: let the last deletes land before counting.
      await new Promise((resolve) => setTimeout(resolve, 200));
    };
  }
  await finished;
  const elapsed = (performance.now() - started) / 1000;
  await stop();
  const result = { perSecond: count / elapsed, sqsPerMessage: sqsCount.total / count, dynamodbPerMessage: dynamodbCount.total / count };
  for (const client of [dynamodb, sqs, setupDynamodb, setupSqs]) client.destroy();
  return result;
}
