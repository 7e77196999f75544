import { createSqsConsumer } from '@batch-decline/consumer';
import { createApplicationRepository, createDeclineHandler, silentLogger } from '@batch-decline/core';
import { createDynamoDbClient, startDynamoDbLocal, type DynamoDbLocal } from '@batch-decline/testing';
import { useLocalAws } from '@batch-decline/testing/vitest';
import { afterAll, describe, expect, it } from 'vitest';
import { drained, seedBoard } from './board.js';
import { expectEndState } from './expectEndState.js';

const wait = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
let dynamodbLocal: DynamoDbLocal | undefined;
afterAll(() => dynamodbLocal?.stop());

describe('database outage', () => {
  it('rides out DynamoDB Local paused for 5 s mid-run: errors reported, back-off, no valid message dead-lettered', async () => {
    const aws = useLocalAws();
    // A DynamoDB Local of its own: pausing the shared one would stall every other test.
    dynamodbLocal = await startDynamoDbLocal();
    const endpoints = { ...aws.endpoints, dynamodbEndpoint: dynamodbLocal.endpoint };
    const setup = createDynamoDbClient(endpoints);
    const board = await seedBoard(setup, aws.sqs, { messages: 1200, poisonShare: 0.02, notPendingShare: 0.02, visibilityTimeout: 5, maxReceiveCount: 5 });
    // A request timeout, as production clients should have: a stalled table surfaces as errors, not as hung calls.
    const dynamodb = createDynamoDbClient(endpoints, { requestHandler: { requestTimeout: 1000, connectionTimeout: 1000, throwOnRequestTimeout: true }, maxAttempts: 2 });
    const consumer = createSqsConsumer({
      queueUrl: board.queueUrl,
      sqs: aws.sqs,
      waitTimeSeconds: 1,
      maxInFlight: 20,
      retryBaseDelaySeconds: 1,
      logger: silentLogger,
      handler: createDeclineHandler(createApplicationRepository({ client: dynamodb, tableName: board.tableName, writeMode: 'single' })),
    });
    const transient: string[] = [];
    consumer.on('failed', ({ kind, messageId }) => kind === 'transient' && transient.push(messageId));
    await consumer.start();
    while (consumer.status.succeeded < 300) await wait(20);
    dynamodbLocal.pause();
    await wait(5000);
    dynamodbLocal.resume();
    const until = Date.now() + 90_000;
    while (!(await drained(aws.sqs, board)) && Date.now() < until) await wait(250);
    await consumer.stop();
    expect(transient.length).toBeGreaterThan(0);
    await expectEndState(setup, aws.sqs, board, { deadLetters: 'exactly-once' });
  }, 150_000);
});
