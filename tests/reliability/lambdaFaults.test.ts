import { createApplicationRepository, createDeclineHandler, silentLogger } from '@batch-decline/core';
import { createSqsHandler } from '@batch-decline/lambda';
import { runEventSourceMapping, type SqsLambdaHandler } from '@batch-decline/testing';
import { useLocalAws } from '@batch-decline/testing/vitest';
import { describe, expect, it } from 'vitest';
import { seedBoard } from './board.js';
import { expectEndState } from './expectEndState.js';

describe('the Lambda path under faults', () => {
  it('reaches the same end state when invocations randomly throw or time out', async () => {
    const aws = useLocalAws();
    const board = await seedBoard(aws.dynamodb, aws.sqs, { messages: 800, poisonShare: 0.02, notPendingShare: 0.02, visibilityTimeout: 1, maxReceiveCount: 10 });
    const adapter = createSqsHandler(createDeclineHandler(createApplicationRepository({ client: aws.dynamodb, tableName: board.tableName, writeMode: 'batched' })), {
      logger: silentLogger,
      deadlineMarginMs: 300,
      deadLetterQueueUrl: board.deadLetterQueueUrl,
      sqs: aws.sqs,
    });
    let crashed = 0;
    let hung = 0;
    const flaky: SqsLambdaHandler = async (event, context) => {
      const roll = Math.random();
      if (roll < 0.1) {
        crashed += 1;
        throw new Error('the runtime crashed (injected)');
      }
      const response = await adapter(event, context);
      if (roll < 0.2) {
        // The work is done but the invocation outlives its timeout: Lambda retries the whole batch.
        hung += 1;
        await new Promise((resolve) => setTimeout(resolve, 1600));
      }
      return response;
    };
    const stats = await runEventSourceMapping({ sqs: aws.sqs, queueUrl: board.queueUrl, handler: flaky, batchSize: 10, functionTimeoutMs: 1500, waitTimeSeconds: 0, concurrency: 3, maxDurationMs: 150_000 });
    expect(stats.invocationErrors).toBe(crashed);
    expect(stats.timeouts).toBe(hung);
    expect(crashed).toBeGreaterThan(0);
    expect(hung).toBeGreaterThan(0);
    // A poison message forwarded by an invocation that then timed out is forwarded again when retried.
    await expectEndState(aws.dynamodb, aws.sqs, board, { deadLetters: 'at-least-once' });
  }, 180_000);
});
