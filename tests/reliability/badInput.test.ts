import { createSqsConsumer } from '@batch-decline/consumer';
import {
  ApplicationNotFoundError,
  createApplicationRepository,
  createDeclineHandler,
  DEAD_LETTER_ATTRIBUTES,
  InvalidMessageError,
  silentLogger,
  type FailedResult,
} from '@batch-decline/core';
import { createSqsHandler } from '@batch-decline/lambda';
import { applicationKey, drainQueue, readApplications, seedApplications, sendMessages } from '@batch-decline/testing';
import { useLocalAws } from '@batch-decline/testing/vitest';
import type { SQSEvent } from 'aws-lambda';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// 10,000 generated bodies: random strings, deep and huge JSON, wrong types, unicode, ids with
// `#`, `__proto__` and `constructor` keys, and near-valid requests for applications that do not exist.
function badBodies(count: number, seed: number): string[] {
  const id = fc.oneof(fc.string(), fc.integer(), fc.double(), fc.boolean(), fc.constant(null), fc.array(fc.string()), fc.string().map((s) => `${s}#${s}`), fc.constant('a b'), fc.constant('é'));
  const body = fc.oneof(
    fc.string({ unit: 'grapheme', maxLength: 200 }),
    fc.string({ unit: 'binary', maxLength: 200 }),
    fc.json({ depthSize: 'large' }),
    fc.record({ jobId: id, id }, { requiredKeys: [] }).map((v) => JSON.stringify(v)),
    fc.record({ jobId: fc.constant('job'), id: fc.stringMatching(/^[a-z]{1,8}$/) }).map((v) => JSON.stringify({ ...v, id: `nope-${v.id}` })),
    fc.constantFrom('{"__proto__":{"jobId":"j","id":"1"}}', '{"constructor":{"prototype":1},"jobId":"j","id":"1"}', `{"jobId":"j","id":"${'x'.repeat(129)}"}`),
    fc.integer({ min: 1, max: 2000 }).map((depth) => `${'['.repeat(depth)}${']'.repeat(depth)}`),
    fc.integer({ min: 1, max: 3 }).map((n) => JSON.stringify({ jobId: 'j', id: '1', pad: 'y'.repeat(6000 * n) })),
  );
  return fc.sample(body, { numRuns: count, seed }).filter((b) => !/^\{"jobId":"j","id":"1"/.test(b) || b.length > 16_384);
}

// SQS accepts only some characters in a body (#x9 | #xA | #xD | #x20 to #xD7FF | #xE000 to
// #xFFFD | #x10000 to #x10FFFF) and at least one; the emulator also refuses the last range.
const sqsAccepts = (body: string) => body.length > 0 && !/[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD]/u.test(body);

const unhandled: unknown[] = [];
const onUnhandled = (reason: unknown) => unhandled.push(reason);
beforeAll(() => void process.on('unhandledRejection', onUnhandled));
afterAll(() => void process.off('unhandledRejection', onUnhandled));

describe('bad input through both adapters', () => {
  it('the Lambda adapter rejects 10,000 generated bodies as permanent with a reason and still declines the valid ones', async () => {
    const aws = useLocalAws();
    const { tableName } = await aws.freshTable();
    const bodies = badBodies(10_000, 7);
    const valid = Array.from({ length: 1000 }, (_, index) => ({ jobId: 'job', applicationId: `ok-${index}`, status: 'PENDING' }));
    await seedApplications(aws.dynamodb, tableName, valid);
    const failures: FailedResult[] = [];
    const handler = createSqsHandler(createDeclineHandler(createApplicationRepository({ client: aws.dynamodb, tableName, writeMode: 'batched' })), {
      logger: silentLogger,
      onReport: ({ report }) => void failures.push(...report.results.filter((r): r is FailedResult => r.status === 'failed')),
    });
    const context = { getRemainingTimeInMillis: () => 60_000 };
    // Batches of 10 Lambda would deliver: 9 bad bodies and 1 valid request each.
    for (let batch = 0; batch * 9 < bodies.length; batch += 1) {
      const records = [...bodies.slice(batch * 9, batch * 9 + 9), JSON.stringify({ jobId: 'job', id: `ok-${batch % 1000}` })];
      const event: SQSEvent = {
        Records: records.map((body, index) => ({
          messageId: `m-${batch}-${index}`,
          receiptHandle: 'x',
          body,
          attributes: { ApproximateReceiveCount: '1', SentTimestamp: '0', SenderId: 's', ApproximateFirstReceiveTimestamp: '0' },
          messageAttributes: {},
          md5OfBody: '',
          eventSource: 'aws:sqs',
          eventSourceARN: 'arn:aws:sqs:us-east-1:000000000000:q',
          awsRegion: 'us-east-1',
        })),
      };
      const response = await handler(event, context);
      expect(response.batchItemFailures.map((f) => f.itemIdentifier)).not.toContain(`m-${batch}-${records.length - 1}`);
    }
    expect(failures).toHaveLength(bodies.length);
    for (const failure of failures) {
      expect(failure.kind).toBe('permanent');
      expect(failure.error instanceof InvalidMessageError || failure.error instanceof ApplicationNotFoundError).toBe(true);
      expect(failure.error.message.length).toBeGreaterThan(20);
    }
    const items = await readApplications(aws.dynamodb, tableName);
    expect([...items.values()].every((item) => item.jobApplicationStatus?.S === 'DECLINED')).toBe(true);
    expect(unhandled).toEqual([]);
  }, 120_000);

  it('the consumer dead-letters every generated body it can receive, with a reason, and declines the valid ones in the same batches', async () => {
    const aws = useLocalAws();
    const { tableName } = await aws.freshTable();
    const queue = await aws.freshQueue({ visibilityTimeout: 10 });
    const bodies = [...new Set(badBodies(10_000, 11).filter(sqsAccepts))];
    const valid = Array.from({ length: 500 }, (_, index) => ({ jobId: 'job', applicationId: `ok-${index}`, status: 'PENDING' }));
    await seedApplications(aws.dynamodb, tableName, valid);
    const validBodies = valid.map((v) => JSON.stringify({ jobId: v.jobId, id: v.applicationId }));
    await sendMessages(aws.sqs, queue.queueUrl, [...bodies, ...validBodies].sort(() => Math.random() - 0.5));
    const consumer = createSqsConsumer({
      queueUrl: queue.queueUrl,
      sqs: aws.sqs,
      waitTimeSeconds: 1,
      logger: silentLogger,
      handler: createDeclineHandler(createApplicationRepository({ client: aws.dynamodb, tableName, writeMode: 'batched' })),
    });
    await consumer.start();
    const total = bodies.length + validBodies.length;
    const until = Date.now() + 90_000;
    while (consumer.status.succeeded + consumer.status.deadLettered < total && Date.now() < until) await new Promise((r) => setTimeout(r, 100));
    const summary = await consumer.stop();
    expect(summary).toMatchObject({ succeeded: validBodies.length, deadLettered: bodies.length });
    const letters = await drainQueue(aws.sqs, queue.deadLetterQueueUrl);
    expect(letters).toHaveLength(bodies.length);
    for (const letter of letters) expect(letter.MessageAttributes?.[DEAD_LETTER_ATTRIBUTES.reason]?.StringValue).toMatch(/Invalid decline request|does not exist/);
    const items = await readApplications(aws.dynamodb, tableName);
    for (const v of valid) expect(items.get(applicationKey(v.jobId, v.applicationId))?.jobApplicationStatus?.S).toBe('DECLINED');
    expect(unhandled).toEqual([]);
  }, 150_000);
});
