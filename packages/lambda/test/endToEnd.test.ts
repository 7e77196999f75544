import { createApplicationRepository, createDeclineHandler, DEAD_LETTER_ATTRIBUTES, type RecordHandler } from '@batch-decline/core';
import {
  applicationKey,
  createMemoryLogger,
  sendMessages,
  drainQueue,
  queueCounts,
  readApplications,
  runEventSourceMapping,
  seedApplications,
  type SeedApplication,
} from '@batch-decline/testing';
import { useLocalAws } from '@batch-decline/testing/vitest';
import { describe, expect, it } from 'vitest';
import { createSqsHandler } from '../src/createSqsHandler.js';

const quiet = createMemoryLogger().logger;

/** 500 decline messages: pending, accepted and poison ones, as the issue describes. */
function board() {
  const applications: SeedApplication[] = [];
  const bodies: string[] = [];
  const poison: string[] = [];
  for (let index = 0; index < 480; index += 1) {
    const jobId = `job-${index % 12}`;
    const applicationId = `app-${index}`;
    applications.push({ jobId, applicationId, status: index % 8 === 0 ? 'ACCEPTED' : 'PENDING' });
    bodies.push(JSON.stringify({ jobId, id: applicationId }));
  }
  for (let index = 0; index < 20; index += 1) {
    const body =
      index % 3 === 0 ? `{"jobId": "job-1", "id": ${index}` : index % 3 === 1 ? JSON.stringify({ jobId: 'job-1', id: `missing-${index}` }) : JSON.stringify({ jobId: 'job-1', id: `a#${index}` });
    poison.push(body);
    bodies.push(body);
  }
  return { applications, bodies, poison };
}

async function runBoard(options: { withDeadLetterQueueUrl: boolean }) {
  const aws = useLocalAws();
  const { tableName } = await aws.freshTable();
  const queue = await aws.freshQueue({ visibilityTimeout: 1, maxReceiveCount: 5 });
  const { applications, bodies, poison } = board();
  await seedApplications(aws.dynamodb, tableName, applications);
  await sendMessages(aws.sqs, queue.queueUrl, bodies);

  const handler = createSqsHandler(createDeclineHandler(createApplicationRepository({ client: aws.dynamodb, tableName })), {
    logger: quiet,
    ...(options.withDeadLetterQueueUrl ? { deadLetterQueueUrl: queue.deadLetterQueueUrl, sqs: aws.sqs } : {}),
  });
  const stats = await runEventSourceMapping({ sqs: aws.sqs, queueUrl: queue.queueUrl, handler, batchSize: 5, waitTimeSeconds: 0, concurrency: 4 });

  const items = await readApplications(aws.dynamodb, tableName);
  for (const application of applications) {
    const item = items.get(applicationKey(application.jobId, application.applicationId))!;
    expect(item.jobApplicationStatus?.S).toBe(application.status === 'PENDING' ? 'DECLINED' : 'ACCEPTED');
    if (application.status === 'ACCEPTED') expect(item.declinedAt).toBeUndefined();
  }
  expect(items.size).toBe(applications.length);
  const deadLetters = await drainQueue(aws.sqs, queue.deadLetterQueueUrl);
  expect(deadLetters.map((message) => message.Body).sort()).toEqual([...poison].sort());
  expect(await queueCounts(aws.sqs, queue.queueUrl)).toEqual({ visible: 0, inFlight: 0, delayed: 0 });
  return { stats, deadLetters };
}

describe('the Lambda adapter end to end through the local event source mapping', () => {
  it('with deadLetterQueueUrl: declines every pending application and dead-letters poison on its first receive', async () => {
    const { stats, deadLetters } = await runBoard({ withDeadLetterQueueUrl: true });
    // Nothing was retried: each poison message went to the DLQ from its first delivery.
    expect(stats.messagesReceived).toBe(500);
    for (const message of deadLetters) {
      expect(message.MessageAttributes?.[DEAD_LETTER_ATTRIBUTES.reason]?.StringValue).toBeTruthy();
    }
  }, 60_000);

  it('without it: poison reaches the DLQ through the redrive policy after 5 receives', async () => {
    const { stats, deadLetters } = await runBoard({ withDeadLetterQueueUrl: false });
    expect(stats.messagesReceived).toBe(480 + 20 * 5);
    expect(deadLetters).toHaveLength(20);
  }, 90_000);

  it('reports unstarted records when the function runs out of time, and declines nothing twice', async () => {
    const aws = useLocalAws();
    const { tableName } = await aws.freshTable();
    const queue = await aws.freshQueue({ visibilityTimeout: 1 });
    const applications = Array.from({ length: 30 }, (_, index) => ({ jobId: 'job-1', applicationId: `a${index}`, status: 'PENDING' }));
    await seedApplications(aws.dynamodb, tableName, applications);
    await sendMessages(aws.sqs, queue.queueUrl, applications.map((a) => JSON.stringify({ jobId: a.jobId, id: a.applicationId })));

    const outcomes = new Map<string, string[]>();
    const decline = createDeclineHandler(createApplicationRepository({ client: aws.dynamodb, tableName }));
    // Slow records: a 10-record batch takes 10 x 150 ms at concurrency 1, the function has 1 s.
    const slow: RecordHandler = async (record, context) => {
      await new Promise((resolve) => setTimeout(resolve, 150));
      const outcome = await decline(record, context);
      const list = outcomes.get(record.body) ?? [];
      list.push(outcome.outcome);
      outcomes.set(record.body, list);
      return outcome;
    };
    const handler = createSqsHandler(slow, { logger: quiet, concurrency: 1, deadlineMarginMs: 300 });
    const stats = await runEventSourceMapping({
      sqs: aws.sqs,
      queueUrl: queue.queueUrl,
      handler,
      batchSize: 10,
      functionTimeoutMs: 1000,
      waitTimeSeconds: 0,
      concurrency: 1,
    });
    expect(stats.timeouts).toBe(0);
    expect(stats.reportedFailures).toBeGreaterThan(0);
    const items = await readApplications(aws.dynamodb, tableName);
    expect([...items.values()].every((item) => item.jobApplicationStatus?.S === 'DECLINED')).toBe(true);
    // Every application was declined exactly once; no record ran twice.
    expect(outcomes.size).toBe(30);
    for (const list of outcomes.values()) expect(list).toEqual(['declined']);
    expect(await queueCounts(aws.sqs, queue.queueUrl)).toEqual({ visible: 0, inFlight: 0, delayed: 0 });
  }, 90_000);
});
