import {
  createApplicationRepository,
  createDeclineHandler,
  DEAD_LETTER_ATTRIBUTES,
  InvalidMessageError,
  PermanentError,
} from '@batch-decline/core';
import { applicationKey, createMemoryLogger, drainQueue, readApplications, seedApplications, sendMessages } from '@batch-decline/testing';
import { useLocalAws } from '@batch-decline/testing/vitest';
import type { SQSHandler, SQSBatchResponse, SQSEvent, Context } from 'aws-lambda';
import { describe, expect, expectTypeOf, it } from 'vitest';
import { createSqsHandler } from './createSqsHandler.js';
import { FullBatchFailureError, InvalidEventError } from './errors.js';
import { contextWithRemaining, receiveEvent, receiveFifoEvent } from '../test/events.js';

const body = (jobId: string, id: string) => JSON.stringify({ jobId, id });
const quiet = createMemoryLogger().logger;

async function queueWithEvent(bodies: string[], options: { fifo?: boolean; groupOf?: (index: number) => string } = {}) {
  const aws = useLocalAws();
  const queue = await aws.freshQueue({ fifo: options.fifo ?? false });
  await sendMessages(aws.sqs, queue.queueUrl, bodies, options.groupOf);
  const receive = options.fifo ? receiveFifoEvent : receiveEvent;
  const event = await receive(aws.sqs, queue.queueUrl, queue.queueArn, bodies.length);
  expect(event.Records).toHaveLength(bodies.length);
  return { aws, queue, event };
}

describe('createSqsHandler', () => {
  it('is assignable to the aws-lambda SQSHandler type', () => {
    const handler = createSqsHandler(() => 'ok');
    expectTypeOf(handler).toMatchTypeOf<(event: SQSEvent, context: Context) => Promise<SQSBatchResponse>>();
    const asLambda: SQSHandler = handler;
    expect(typeof asLambda).toBe('function');
  });

  it('reports exactly the failed records, by messageId, for an event received from the queue', async () => {
    const { event } = await queueWithEvent(['ok-1', 'fail-1', 'ok-2', 'fail-2', 'ok-3']);
    const handler = createSqsHandler(
      (record) => {
        if (record.body.startsWith('fail')) throw new Error('boom');
        return record.body;
      },
      { logger: quiet },
    );
    const response = await handler(event, contextWithRemaining(30_000));
    const failedIds = event.Records.filter((record) => record.body.startsWith('fail')).map((record) => record.messageId);
    expect(response).toEqual({ batchItemFailures: failedIds.map((itemIdentifier) => ({ itemIdentifier })) });
  });

  it('returns an empty list when every record succeeds, and for an empty event', async () => {
    const { event } = await queueWithEvent(['a', 'b']);
    const handler = createSqsHandler(() => 1, { logger: quiet });
    await expect(handler(event, contextWithRemaining(30_000))).resolves.toEqual({ batchItemFailures: [] });
    await expect(handler({ Records: [] }, contextWithRemaining(30_000))).resolves.toEqual({ batchItemFailures: [] });
  });

  it('passes message id, group, receive count and attributes into the record', async () => {
    const { event } = await queueWithEvent(['x'], { fifo: true, groupOf: () => 'job-7' });
    let seen: unknown;
    await createSqsHandler((record) => void (seen = record), { logger: quiet })(event, contextWithRemaining(30_000));
    expect(seen).toMatchObject({ id: event.Records[0]!.messageId, body: 'x', groupId: 'job-7', receiveCount: 1 });
    expect((seen as { attributes: Record<string, string> }).attributes.SentTimestamp).toMatch(/^\d+$/);
  });

  it("keeps FIFO order per group, reports a failed group's later records, and lets other groups finish", async () => {
    const bodies = ['a1', 'b1', 'a2', 'b2', 'a3', 'b3'];
    const { event } = await queueWithEvent(bodies, { fifo: true, groupOf: (index) => (index % 2 === 0 ? 'A' : 'B') });
    expect(event.Records.every((record) => record.eventSourceARN.endsWith('.fifo'))).toBe(true);
    const order: string[] = [];
    const handler = createSqsHandler(
      async (record) => {
        order.push(record.body);
        if (record.body === 'a2') throw new Error('a2 failed');
      },
      { logger: quiet },
    );
    const response = await handler(event, contextWithRemaining(30_000));
    const idOf = (b: string) => event.Records.find((record) => record.body === b)!.messageId;
    expect(response.batchItemFailures.map((failure) => failure.itemIdentifier).sort()).toEqual([idOf('a2'), idOf('a3')].sort());
    expect(order.filter((b) => b.startsWith('a'))).toEqual(['a1', 'a2']);
    expect(order.filter((b) => b.startsWith('b'))).toEqual(['b1', 'b2', 'b3']);
  });

  it('rejects malformed events with a typed error before processing anything', async () => {
    let calls = 0;
    const handler = createSqsHandler(() => void calls++, { logger: quiet });
    const context = contextWithRemaining(30_000);
    await expect(handler({} as SQSEvent, context)).rejects.toBeInstanceOf(InvalidEventError);
    await expect(handler(null as unknown as SQSEvent, context)).rejects.toThrow(/Records array/);
    const { event } = await queueWithEvent(['a', 'b']);
    const mixed = { Records: [event.Records[0]!, { ...event.Records[1]!, eventSource: 'aws:kinesis' }] };
    await expect(handler(mixed, context)).rejects.toThrow(/Records\[1\] has eventSource "aws:kinesis"/);
    expect(calls).toBe(0);
  });

  describe('full-batch failure', () => {
    it('throws when every record failed and one of them transiently (default), so Lambda backs off', async () => {
      const { event } = await queueWithEvent(['a', 'b']);
      const handler = createSqsHandler(
        (record) => {
          throw record.body === 'a' ? new InvalidMessageError('id', 'is empty', '') : new Error('throttled');
        },
        { logger: quiet },
      );
      const error = await handler(event, contextWithRemaining(30_000)).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(FullBatchFailureError);
      expect((error as FullBatchFailureError).failedIds).toHaveLength(2);
    });

    it('returns every record instead when all failures are permanent (default)', async () => {
      const { event } = await queueWithEvent(['a', 'b']);
      const handler = createSqsHandler(() => Promise.reject(new PermanentError('bad')), { logger: quiet });
      const response = await handler(event, contextWithRemaining(30_000));
      expect(response.batchItemFailures).toHaveLength(2);
    });

    it('follows throwOnFullBatchFailure true and false', async () => {
      const { event } = await queueWithEvent(['a', 'b']);
      const permanent = () => Promise.reject(new PermanentError('bad'));
      await expect(createSqsHandler(permanent, { logger: quiet, throwOnFullBatchFailure: true })(event, contextWithRemaining(30_000))).rejects.toBeInstanceOf(
        FullBatchFailureError,
      );
      const transient = () => Promise.reject(new Error('down'));
      const response = await createSqsHandler(transient, { logger: quiet, throwOnFullBatchFailure: false })(event, contextWithRemaining(30_000));
      expect(response.batchItemFailures).toHaveLength(2);
    });
  });

  it('sends permanent failures to the dead-letter queue with the reason, and does not report them', async () => {
    const { aws, queue, event } = await queueWithEvent([body('j1', 'ok'), '{not json', body('j1', 'b#d')]);
    const { tableName } = await aws.freshTable();
    await seedApplications(aws.dynamodb, tableName, [{ jobId: 'j1', applicationId: 'ok', status: 'PENDING' }]);
    const handler = createSqsHandler(createDeclineHandler(createApplicationRepository({ client: aws.dynamodb, tableName })), {
      logger: quiet,
      deadLetterQueueUrl: queue.deadLetterQueueUrl,
      sqs: aws.sqs,
    });
    await expect(handler(event, contextWithRemaining(30_000))).resolves.toEqual({ batchItemFailures: [] });
    const deadLetters = await drainQueue(aws.sqs, queue.deadLetterQueueUrl);
    expect(deadLetters.map((m) => m.Body).sort()).toEqual([body('j1', 'b#d'), '{not json'].sort());
    for (const message of deadLetters) {
      expect(message.MessageAttributes?.[DEAD_LETTER_ATTRIBUTES.errorName]?.StringValue).toBe('InvalidMessageError');
      expect(message.MessageAttributes?.[DEAD_LETTER_ATTRIBUTES.reason]?.StringValue).toMatch(/Invalid decline request/);
    }
  });

  it('reports a permanent failure for retry when the dead-letter queue cannot be reached', async () => {
    const { aws, event } = await queueWithEvent(['{bad', 'fine']);
    const handler = createSqsHandler((record) => (record.body === 'fine' ? 1 : Promise.reject(new PermanentError('bad'))), {
      logger: quiet,
      deadLetterQueueUrl: `${aws.endpoints.sqsEndpoint}/000000000000/no-such-queue`,
      sqs: aws.sqs,
    });
    const response = await handler(event, contextWithRemaining(30_000));
    expect(response.batchItemFailures.map((f) => f.itemIdentifier)).toEqual([event.Records[0]!.messageId]);
  });

  it('logs failures without message bodies unless asked to', async () => {
    const secret = JSON.stringify({ jobId: 'j1', id: 'x y', email: 'someone@example.com' });
    const { event } = await queueWithEvent([secret, 'ok']);
    const handlerFor = (logBodies: boolean) => {
      const memory = createMemoryLogger();
      const handler = createSqsHandler(
        async (record) => {
          if (record.body !== 'ok') throw new Error('failed');
        },
        { logger: memory.logger, logBodies },
      );
      return { handler, memory };
    };
    const plain = handlerFor(false);
    await plain.handler(event, contextWithRemaining(30_000));
    expect(JSON.stringify(plain.memory.lines)).not.toContain('example.com');
    expect(plain.memory.lines.some((line) => line.level === 'warn' && line.extra?.messageId === event.Records[0]!.messageId)).toBe(true);
    const verbose = handlerFor(true);
    await verbose.handler(event, contextWithRemaining(30_000));
    expect(JSON.stringify(verbose.memory.lines)).toContain('example.com');
  });

  it('hands every batch report to onReport, and survives a hook that throws', async () => {
    const { event } = await queueWithEvent(['a', 'b']);
    const reports: unknown[] = [];
    const memory = createMemoryLogger();
    const handler = createSqsHandler((record) => record.body, {
      logger: memory.logger,
      onReport: (report) => {
        reports.push(report);
        throw new Error('metrics down');
      },
    });
    await expect(handler(event, contextWithRemaining(30_000))).resolves.toEqual({ batchItemFailures: [] });
    expect(reports).toHaveLength(1);
    expect(reports[0]).toMatchObject({ deadLettered: [], retried: [] });
    expect(memory.lines.some((line) => line.message === 'onReport hook failed')).toBe(true);
  });

  it('leaves the table as if a message delivered twice was delivered once', async () => {
    const { aws, event } = await queueWithEvent([body('j1', 'a1')]);
    const { tableName } = await aws.freshTable();
    await seedApplications(aws.dynamodb, tableName, [{ jobId: 'j1', applicationId: 'a1', status: 'PENDING' }]);
    const outcomes: unknown[] = [];
    const decline = createDeclineHandler(createApplicationRepository({ client: aws.dynamodb, tableName }));
    const handler = createSqsHandler(async (record, context) => {
      const outcome = await decline(record, context);
      outcomes.push(outcome);
      return outcome;
    }, { logger: quiet });
    await handler(event, contextWithRemaining(30_000));
    const once = await readApplications(aws.dynamodb, tableName);
    await handler(event, contextWithRemaining(30_000));
    expect(await readApplications(aws.dynamodb, tableName)).toEqual(once);
    expect(outcomes).toEqual([{ outcome: 'declined' }, { outcome: 'already-declined' }]);
    expect(once.get(applicationKey('j1', 'a1'))?.jobApplicationStatus?.S).toBe('DECLINED');
  });

  it('rejects bad options with TypeErrors', () => {
    expect(() => createSqsHandler('x' as never)).toThrow(/recordHandler to be a function/);
    expect(() => createSqsHandler(() => 1, { concurrency: 0 })).toThrow(/concurrency/);
    expect(() => createSqsHandler(() => 1, { deadlineMarginMs: -1 })).toThrow(/deadlineMarginMs/);
    expect(() => createSqsHandler(() => 1, { throwOnFullBatchFailure: 'always' as never })).toThrow(/throwOnFullBatchFailure/);
    expect(() => createSqsHandler(() => 1, { deadLetterQueueUrl: 'http://q' })).toThrow(/needs options\.sqs/);
    expect(() => createSqsHandler(() => 1, { logger: console.log as never })).toThrow(/logger/);
  });
});
