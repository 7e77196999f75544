import { ReceiveMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { createApplicationRepository, createDeclineHandler, DEAD_LETTER_ATTRIBUTES, PermanentError, type RecordHandler } from '@batch-decline/core';
import {
  applicationKey,
  countRequests,
  createMemoryLogger,
  createSqsClient,
  drainQueue,
  queueCounts,
  readApplications,
  seedApplications,
  sendMessages,
} from '@batch-decline/testing';
import { useLocalAws } from '@batch-decline/testing/vitest';
import { afterEach, describe, expect, it } from 'vitest';
import { createSqsConsumer } from './createSqsConsumer.js';
import type { SqsConsumerOptions } from './options.js';
import type { SqsConsumer } from './SqsConsumer.js';
import { settledCount, sleep, waitFor } from '../test/helpers.js';

const running: SqsConsumer<unknown>[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((consumer) => consumer.stop({ timeoutMs: 1000 })));
});

function consumerFor<T>(options: SqsConsumerOptions<T>): SqsConsumer<T> {
  const consumer = createSqsConsumer({ logger: createMemoryLogger().logger, waitTimeSeconds: 1, ...options });
  running.push(consumer as SqsConsumer<unknown>);
  return consumer;
}

const bodiesOf = (count: number, prefix = 'm') => Array.from({ length: count }, (_, index) => `${prefix}-${index}`);

describe('SqsConsumer on the SQS emulator', () => {
  it('declines 2,000 messages end to end with batched deletes, at most 0.3 SQS requests per message', async () => {
    const aws = useLocalAws();
    const { tableName } = await aws.freshTable();
    const queue = await aws.freshQueue({ visibilityTimeout: 30 });
    const applications = Array.from({ length: 2000 }, (_, index) => ({ jobId: `job-${index % 40}`, applicationId: `a${index}`, status: 'PENDING' }));
    await seedApplications(aws.dynamodb, tableName, applications);
    await sendMessages(aws.sqs, queue.queueUrl, applications.map((a) => JSON.stringify({ jobId: a.jobId, id: a.applicationId })));

    const sqs = createSqsClient(aws.endpoints);
    const counted = countRequests(sqs);
    const consumer = consumerFor({
      queueUrl: queue.queueUrl,
      sqs,
      waitTimeSeconds: 20,
      handler: createDeclineHandler(createApplicationRepository({ client: aws.dynamodb, tableName, writeMode: 'batched' })),
    });
    await consumer.start();
    await waitFor(() => settledCount(consumer) === 2000, 60_000, '2,000 messages');
    const summary = await consumer.stop();
    expect(summary).toMatchObject({ received: 2000, succeeded: 2000, failed: 0, deadLettered: 0 });
    const perMessage = counted.total / 2000;
    expect(counted.byCommand.DeleteMessageBatchCommand).toBeLessThanOrEqual(2000 / 10 + 20);
    expect(perMessage).toBeLessThanOrEqual(0.3);
    const items = await readApplications(aws.dynamodb, tableName);
    expect([...items.values()].filter((item) => item.jobApplicationStatus?.S === 'DECLINED')).toHaveLength(2000);
    expect(await queueCounts(aws.sqs, queue.queueUrl)).toEqual({ visible: 0, inFlight: 0, delayed: 0 });
  }, 90_000);

  it('deletes successes and hands back only the failures', async () => {
    const aws = useLocalAws();
    const queue = await aws.freshQueue({ visibilityTimeout: 30 });
    await sendMessages(aws.sqs, queue.queueUrl, [...bodiesOf(18, 'ok'), 'fail-1', 'fail-2']);
    const failed: string[] = [];
    const consumer = consumerFor({
      queueUrl: queue.queueUrl,
      sqs: aws.sqs,
      retryBaseDelaySeconds: 60,
      handler: (record) => {
        if (record.body.startsWith('fail')) throw new Error('down');
      },
    });
    consumer.on('failed', ({ messageId }) => failed.push(messageId));
    await consumer.start();
    await waitFor(() => consumer.status.succeeded === 18 && failed.length === 2);
    await consumer.stop();
    // The two failures are invisible (backing off); everything else is gone.
    expect(await queueCounts(aws.sqs, queue.queueUrl)).toMatchObject({ visible: 0, inFlight: 2 });
  });

  it('backs a transient failure off: it is not received again before its back-off', async () => {
    const aws = useLocalAws();
    const queue = await aws.freshQueue({ visibilityTimeout: 30 });
    await sendMessages(aws.sqs, queue.queueUrl, ['flaky']);
    const deliveries: number[] = [];
    const backoffs: number[] = [];
    const consumer = consumerFor({
      queueUrl: queue.queueUrl,
      sqs: aws.sqs,
      retryBaseDelaySeconds: 2,
      handler: () => {
        deliveries.push(Date.now());
        if (deliveries.length < 3) throw new Error('try again');
      },
    });
    consumer.on('failed', ({ retryInSeconds, receiveCount }) => backoffs.push(retryInSeconds!) && expect(receiveCount).toBe(backoffs.length));
    await consumer.start();
    await waitFor(() => consumer.status.succeeded === 1, 30_000, 'the third delivery');
    // receive 1 -> back-off in [1, 2] s; receive 2 -> [2, 4] s: growing with the receive count.
    expect(backoffs[0]).toBeGreaterThanOrEqual(1);
    expect(backoffs[1]).toBeGreaterThanOrEqual(2);
    expect(deliveries[1]! - deliveries[0]!).toBeGreaterThanOrEqual(backoffs[0]! * 1000 - 100);
    expect(deliveries[2]! - deliveries[1]!).toBeGreaterThanOrEqual(backoffs[1]! * 1000 - 100);
  }, 40_000);

  it("sends a permanent failure to the queue's dead-letter queue exactly once, with its reason", async () => {
    const aws = useLocalAws();
    const queue = await aws.freshQueue({ visibilityTimeout: 30 });
    await sendMessages(aws.sqs, queue.queueUrl, ['{"jobId": 1, "id": "#"}', ...bodiesOf(5)]);
    const { tableName } = await aws.freshTable();
    const deadLettered: string[] = [];
    const consumer = consumerFor({
      queueUrl: queue.queueUrl,
      sqs: aws.sqs,
      handler: async (record, context) => {
        if (record.body.startsWith('{')) return createDeclineHandler(createApplicationRepository({ client: aws.dynamodb, tableName }))(record, context);
        return 'ok';
      },
    });
    consumer.on('deadLettered', ({ messageId }) => deadLettered.push(messageId));
    await consumer.start();
    await waitFor(() => settledCount(consumer) === 6);
    await consumer.stop();
    const letters = await drainQueue(aws.sqs, queue.deadLetterQueueUrl);
    expect(letters).toHaveLength(1);
    expect(letters[0]!.Body).toBe('{"jobId": 1, "id": "#"}');
    expect(letters[0]!.MessageAttributes?.[DEAD_LETTER_ATTRIBUTES.reason]?.StringValue).toMatch(/field "id" contains a "#"/);
    expect(letters[0]!.MessageAttributes?.[DEAD_LETTER_ATTRIBUTES.sourceMessageId]?.StringValue).toBe(deadLettered[0]);
    expect(await queueCounts(aws.sqs, queue.queueUrl)).toEqual({ visible: 0, inFlight: 0, delayed: 0 });
  });

  it('extends the visibility of a record slower than the visibility timeout, so it is not delivered twice', async () => {
    const aws = useLocalAws();
    const queue = await aws.freshQueue({ visibilityTimeout: 2 });
    await sendMessages(aws.sqs, queue.queueUrl, ['slow']);
    let calls = 0;
    const consumer = consumerFor({
      queueUrl: queue.queueUrl,
      sqs: aws.sqs,
      handler: async () => {
        calls += 1;
        await sleep(5000);
      },
    });
    await consumer.start();
    await waitFor(() => consumer.status.succeeded === 1, 15_000);
    expect(calls).toBe(1);
  }, 20_000);

  it('aborts and releases a record that runs past maxProcessingTimeMs', async () => {
    const aws = useLocalAws();
    const queue = await aws.freshQueue({ visibilityTimeout: 30 });
    await sendMessages(aws.sqs, queue.queueUrl, ['stuck']);
    const released: string[] = [];
    let calls = 0;
    const consumer = consumerFor({
      queueUrl: queue.queueUrl,
      sqs: aws.sqs,
      maxProcessingTimeMs: 500,
      handler: (_record, { signal }) =>
        new Promise((resolve, reject) => {
          calls += 1;
          if (calls > 1) return resolve('second time lucky');
          signal.addEventListener('abort', () => reject(signal.reason as Error));
        }),
    });
    consumer.on('released', ({ why }) => released.push(why));
    await consumer.start();
    await waitFor(() => consumer.status.succeeded === 1, 10_000);
    expect(released).toEqual(['timeout']);
    expect(calls).toBe(2);
  });

  it('never holds more than maxInFlight messages, and fills up to it', async () => {
    const aws = useLocalAws();
    const queue = await aws.freshQueue({ visibilityTimeout: 30 });
    await sendMessages(aws.sqs, queue.queueUrl, bodiesOf(120));
    let runningNow = 0;
    let maximum = 0;
    let maxInFlightSeen = 0;
    const consumer = consumerFor({
      queueUrl: queue.queueUrl,
      sqs: aws.sqs,
      maxInFlight: 20,
      handler: async () => {
        runningNow += 1;
        maximum = Math.max(maximum, runningNow);
        maxInFlightSeen = Math.max(maxInFlightSeen, consumer.status.inFlight);
        await sleep(30 + Math.random() * 30);
        runningNow -= 1;
      },
    });
    await consumer.start();
    await waitFor(() => consumer.status.succeeded === 120, 30_000);
    expect(maximum).toBeLessThanOrEqual(20);
    expect(maxInFlightSeen).toBeLessThanOrEqual(20);
    expect(maximum).toBeGreaterThanOrEqual(15);
  });

  it('does not let a slow record block the next receives', async () => {
    const aws = useLocalAws();
    const queue = await aws.freshQueue({ visibilityTimeout: 30 });
    await sendMessages(aws.sqs, queue.queueUrl, ['slow']);
    await sleep(50);
    await sendMessages(aws.sqs, queue.queueUrl, bodiesOf(40));
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const consumer = consumerFor({
      queueUrl: queue.queueUrl,
      sqs: aws.sqs,
      maxInFlight: 20,
      handler: async (record) => (record.body === 'slow' ? gate : undefined),
    });
    await consumer.start();
    await waitFor(() => consumer.status.succeeded === 40, 15_000, 'the 40 fast messages while the slow one runs');
    release();
    await waitFor(() => consumer.status.succeeded === 41);
  });

  it('stop() during an idle long poll returns in about a second', async () => {
    const aws = useLocalAws();
    const queue = await aws.freshQueue();
    const consumer = consumerFor({ queueUrl: queue.queueUrl, sqs: aws.sqs, waitTimeSeconds: 20, handler: () => 'never' });
    await consumer.start();
    await sleep(300);
    const started = Date.now();
    await consumer.stop();
    expect(Date.now() - started).toBeLessThan(1500);
    expect(consumer.status.state).toBe('stopped');
  });

  it('stop() lets running records finish, then releases the unfinished at once (re-receivable immediately)', async () => {
    const aws = useLocalAws();
    const queue = await aws.freshQueue({ visibilityTimeout: 60 });
    await sendMessages(aws.sqs, queue.queueUrl, bodiesOf(10));
    let started = 0;
    const consumer = consumerFor({
      queueUrl: queue.queueUrl,
      sqs: aws.sqs,
      handler: (record, { signal }) =>
        new Promise((resolve, reject) => {
          started += 1;
          // m-0 finishes quickly; the rest wait until stop() aborts them.
          if (record.body === 'm-0') setTimeout(() => resolve('done'), 100);
          signal.addEventListener('abort', () => reject(new Error('aborted')));
        }),
    });
    await consumer.start();
    await waitFor(() => started === 10);
    const summary = await consumer.stop({ timeoutMs: 300 });
    expect(summary.succeeded).toBe(1);
    expect(summary.released).toBe(9);
    const again = await aws.sqs.send(new ReceiveMessageCommand({ QueueUrl: queue.queueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 0 }));
    expect(again.Messages).toHaveLength(9);
    expect(await consumer.stop()).toBe(summary);
  });

  it('reports receive errors, backs off, and recovers', async () => {
    const aws = useLocalAws();
    const queue = await aws.freshQueue();
    await sendMessages(aws.sqs, queue.queueUrl, bodiesOf(5));
    let failuresLeft = 3;
    // The one simulated fault: the endpoint refusing receives for a while.
    const flaky = {
      send: (command: Parameters<SQSClient['send']>[0], options?: { abortSignal?: AbortSignal }) => {
        if (command instanceof ReceiveMessageCommand && failuresLeft > 0) {
          failuresLeft -= 1;
          return Promise.reject(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }));
        }
        return aws.sqs.send(command as never, options);
      },
    } as unknown as SQSClient;
    const errors: string[] = [];
    const consumer = consumerFor({ queueUrl: queue.queueUrl, sqs: flaky, maxInFlight: 10, handler: () => 'ok' });
    consumer.on('error', ({ operation }) => errors.push(operation));
    await consumer.start();
    await waitFor(() => consumer.status.succeeded === 5, 20_000);
    expect(errors.filter((operation) => operation === 'ReceiveMessage')).toHaveLength(3);
    expect(consumer.status.consecutiveReceiveErrors).toBe(0);
  });

  it('keeps FIFO order per group and retries a failed group in order', async () => {
    const aws = useLocalAws();
    const queue = await aws.freshQueue({ fifo: true, visibilityTimeout: 30 });
    const bodies = Array.from({ length: 30 }, (_, index) => `g${index % 3}-${String(Math.floor(index / 3)).padStart(2, '0')}`);
    await sendMessages(aws.sqs, queue.queueUrl, bodies, (index) => `g${index % 3}`);
    const seen: string[] = [];
    let failedOnce = false;
    const consumer = consumerFor({
      queueUrl: queue.queueUrl,
      sqs: aws.sqs,
      retryBaseDelaySeconds: 1,
      handler: (record) => {
        if (record.body === 'g1-04' && !failedOnce) {
          failedOnce = true;
          throw new Error('once');
        }
        seen.push(record.body);
      },
    });
    await consumer.start();
    await waitFor(() => consumer.status.succeeded === 30, 30_000);
    for (const group of ['g0', 'g1', 'g2']) {
      const order = seen.filter((body) => body.startsWith(group));
      expect(order).toEqual([...order].sort());
      expect(order).toHaveLength(10);
    }
  }, 40_000);

  it('warns once when permanent failures have no dead-letter queue to go to', async () => {
    const aws = useLocalAws();
    const { queueUrl } = await aws.freshQueue();
    const { CreateQueueCommand } = await import('@aws-sdk/client-sqs');
    const plain = await aws.sqs.send(new CreateQueueCommand({ QueueName: `${queueUrl.split('/').pop()}-plain` }));
    await sendMessages(aws.sqs, plain.QueueUrl!, ['a', 'b']);
    const memory = createMemoryLogger();
    const consumer = consumerFor({
      queueUrl: plain.QueueUrl!,
      sqs: aws.sqs,
      logger: memory.logger,
      handler: () => Promise.reject(new PermanentError('bad')),
    });
    await consumer.start();
    await waitFor(() => consumer.status.failed === 2);
    expect(memory.lines.filter((line) => line.message.includes('no RedrivePolicy'))).toHaveLength(1);
  });

  it('validates its options with TypeErrors naming them', () => {
    const handler: RecordHandler = () => 1;
    expect(() => createSqsConsumer({ queueUrl: 'queue', handler })).toThrow(/queueUrl to be a queue URL, got the string "queue"/);
    expect(() => createSqsConsumer({ queueUrl: 'http://q', handler: 1 as never })).toThrow(/handler to be a function/);
    expect(() => createSqsConsumer({ queueUrl: 'http://q', handler, batchSize: 11 })).toThrow(/batchSize to be an integer from 1 to 10, got the number 11/);
    expect(() => createSqsConsumer({ queueUrl: 'http://q', handler, waitTimeSeconds: 21 })).toThrow(/waitTimeSeconds/);
    expect(() => createSqsConsumer({ queueUrl: 'http://q', handler, maxInFlight: 0 })).toThrow(/maxInFlight/);
  });
});

describe('SqsConsumer with the decline handler', () => {
  it('leaves applications that are no longer pending untouched', async () => {
    const aws = useLocalAws();
    const { tableName } = await aws.freshTable();
    const queue = await aws.freshQueue();
    await seedApplications(aws.dynamodb, tableName, [
      { jobId: 'j', applicationId: 'p', status: 'PENDING' },
      { jobId: 'j', applicationId: 'x', status: 'ACCEPTED' },
    ]);
    const before = await readApplications(aws.dynamodb, tableName);
    await sendMessages(aws.sqs, queue.queueUrl, [JSON.stringify({ jobId: 'j', id: 'p' }), JSON.stringify({ jobId: 'j', id: 'x' })]);
    const outcomes: unknown[] = [];
    const consumer = consumerFor({
      queueUrl: queue.queueUrl,
      sqs: aws.sqs,
      handler: createDeclineHandler(createApplicationRepository({ client: aws.dynamodb, tableName })),
    });
    consumer.on('processed', ({ value }) => outcomes.push(value));
    await consumer.start();
    await waitFor(() => consumer.status.succeeded === 2);
    expect(outcomes).toEqual(expect.arrayContaining([{ outcome: 'declined' }, { outcome: 'not-pending', status: 'ACCEPTED' }]));
    const after = await readApplications(aws.dynamodb, tableName);
    expect(after.get(applicationKey('j', 'x'))).toEqual(before.get(applicationKey('j', 'x')));
  });
});
