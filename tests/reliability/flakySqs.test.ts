import { createSqsConsumer } from '@batch-decline/consumer';
import { createApplicationRepository, createDeclineHandler, silentLogger } from '@batch-decline/core';
import { createSqsClient, startFaultProxy } from '@batch-decline/testing';
import { useLocalAws } from '@batch-decline/testing/vitest';
import { describe, expect, it } from 'vitest';
import { drained, seedBoard } from './board.js';
import { expectEndState } from './expectEndState.js';

const wait = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('flaky SQS', () => {
  it('reaches the same end state when 10% of receive, delete and visibility calls fail or stall', async () => {
    const aws = useLocalAws();
    const board = await seedBoard(aws.dynamodb, aws.sqs, { messages: 1500, poisonShare: 0.02, notPendingShare: 0.02, visibilityTimeout: 5 });
    const operations = ['ReceiveMessage', 'DeleteMessageBatch', 'ChangeMessageVisibilityBatch', 'SendMessageBatch'];
    const proxy = await startFaultProxy({
      target: aws.endpoints.sqsEndpoint,
      rules: [
        { operations, probability: 0.04, fault: { kind: 'server-error' } },
        { operations, probability: 0.03, fault: { kind: 'throttle' } },
        { operations, probability: 0.02, fault: { kind: 'drop' } },
        { operations, probability: 0.02, fault: { kind: 'delay', ms: 1500 } },
      ],
    });
    // SDK retries are part of the picture; one attempt fewer than the default makes faults surface more.
    const sqs = createSqsClient({ ...aws.endpoints, sqsEndpoint: proxy.endpoint }, { maxAttempts: 2 });
    const consumer = createSqsConsumer({
      queueUrl: board.queueUrl,
      sqs,
      waitTimeSeconds: 1,
      retryBaseDelaySeconds: 1,
      logger: silentLogger,
      handler: createDeclineHandler(createApplicationRepository({ client: aws.dynamodb, tableName: board.tableName, writeMode: 'batched' })),
    });
    const errors: string[] = [];
    consumer.on('error', ({ operation }) => errors.push(operation));
    await consumer.start();
    const until = Date.now() + 90_000;
    while (!(await drained(aws.sqs, board)) && Date.now() < until) await wait(250);
    await consumer.stop();
    await proxy.stop();
    const injected = Object.values(proxy.injected).reduce((a, b) => a + b, 0);
    expect(injected).toBeGreaterThan(20);
    await expectEndState(aws.dynamodb, aws.sqs, board, { deadLetters: 'at-least-once' });
  }, 120_000);
});
