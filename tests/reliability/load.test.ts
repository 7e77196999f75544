import { createSqsConsumer } from '@batch-decline/consumer';
import { createApplicationRepository, createDeclineHandler, silentLogger } from '@batch-decline/core';
import { createDynamoDbClient, createSqsClient } from '@batch-decline/testing';
import { useLocalAws } from '@batch-decline/testing/vitest';
import { describe, expect, it } from 'vitest';
import { drained, seedBoard } from './board.js';
import { expectEndState } from './expectEndState.js';

const wait = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('load', () => {
  it('20,000 messages through two consumers at once: nothing lost, nothing left in flight, memory flat', async () => {
    const aws = useLocalAws();
    const board = await seedBoard(aws.dynamodb, aws.sqs, { messages: 20_000, poisonShare: 0.01, notPendingShare: 0.02, visibilityTimeout: 30 });
    const consumers = [0, 1].map(() => {
      const dynamodb = createDynamoDbClient(aws.endpoints);
      return createSqsConsumer({
        queueUrl: board.queueUrl,
        sqs: createSqsClient(aws.endpoints),
        waitTimeSeconds: 1,
        logger: silentLogger,
        handler: createDeclineHandler(createApplicationRepository({ client: dynamodb, tableName: board.tableName, writeMode: 'batched' })),
      });
    });
    await Promise.all(consumers.map((consumer) => consumer.start()));
    const settled = () => consumers.reduce((sum, c) => sum + c.status.succeeded + c.status.deadLettered, 0);
    while (settled() < 5000) await wait(50);
    const early = process.memoryUsage().rss;
    const until = Date.now() + 150_000;
    while (!(await drained(aws.sqs, board)) && Date.now() < until) await wait(250);
    const late = process.memoryUsage().rss;
    const summaries = await Promise.all(consumers.map((consumer) => consumer.stop()));
    expect(summaries.every((summary) => summary.succeeded > 1000)).toBe(true);
    await expectEndState(aws.dynamodb, aws.sqs, board, { deadLetters: 'exactly-once' });
    // Resident memory between 5,000 and 20,000 messages (the in-process emulator included).
    expect((late - early) / 2 ** 20).toBeLessThan(150);
  }, 240_000);
});
