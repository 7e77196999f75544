import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { Message, SQSClient } from '@aws-sdk/client-sqs';
import { DEAD_LETTER_ATTRIBUTES } from '@batch-decline/core';
import {
  applicationKey,
  createApplicationsTable,
  createQueueWithDeadLetterQueue,
  drainQueue,
  queueCounts,
  readApplications,
  seedApplications,
  sendMessages,
  type SeedApplication,
  type StoredItem,
} from '@batch-decline/testing';
import { randomUUID } from 'node:crypto';

/** A seeded table and a queue full of decline messages, some of them poison. */
export interface Board {
  readonly tableName: string;
  readonly queueUrl: string;
  readonly deadLetterQueueUrl: string;
  readonly applications: readonly SeedApplication[];
  readonly validBodies: readonly string[];
  readonly poisonBodies: readonly string[];
  readonly before: ReadonlyMap<string, StoredItem>;
}

export interface BoardOptions {
  readonly messages: number;
  /** Share of poison messages (bad JSON, a `#` in an id, a missing application). */
  readonly poisonShare?: number;
  /** Share of targeted applications that are no longer pending (ACCEPTED or WITHDRAWN). */
  readonly notPendingShare?: number;
  readonly visibilityTimeout?: number;
  readonly maxReceiveCount?: number;
}

/** Seeds a board: one application per valid message, in the given mix of statuses, and enqueues every message shuffled. */
export async function seedBoard(dynamodb: DynamoDBClient, sqs: SQSClient, options: BoardOptions): Promise<Board> {
  const id = randomUUID().slice(0, 8);
  const tableName = `reliability-${id}`;
  await createApplicationsTable(dynamodb, tableName);
  const queue = await createQueueWithDeadLetterQueue(sqs, {
    name: `reliability-${id}`,
    visibilityTimeout: options.visibilityTimeout ?? 5,
    maxReceiveCount: options.maxReceiveCount ?? 5,
  });
  const poisonCount = Math.round(options.messages * (options.poisonShare ?? 0.02));
  const validCount = options.messages - poisonCount;
  const notPendingEvery = options.notPendingShare ? Math.round(1 / options.notPendingShare) : 0;
  const applications: SeedApplication[] = Array.from({ length: validCount }, (_, index) => ({
    jobId: `job-${index % 97}`,
    applicationId: `app-${index}`,
    status: notPendingEvery && index % notPendingEvery === 0 ? (index % 2 === 0 ? 'ACCEPTED' : 'WITHDRAWN') : 'PENDING',
  }));
  await seedApplications(dynamodb, tableName, applications);
  const validBodies = applications.map((a) => JSON.stringify({ jobId: a.jobId, id: a.applicationId }));
  const poisonBodies = Array.from({ length: poisonCount }, (_, index) =>
    index % 3 === 0 ? `{"jobId": "job-1", "id": ${index}` : index % 3 === 1 ? JSON.stringify({ jobId: 'job-1', id: `bad#${index}` }) : JSON.stringify({ jobId: 'job-1', id: `missing-${index}` }),
  );
  const all = [...validBodies, ...poisonBodies];
  for (let i = all.length - 1; i > 0; i -= 1) {
    const j = Math.floor(Math.random() * (i + 1));
    [all[i], all[j]] = [all[j]!, all[i]!];
  }
  await sendMessages(sqs, queue.queueUrl, all);
  const before = await readApplications(dynamodb, tableName);
  return { tableName, queueUrl: queue.queueUrl, deadLetterQueueUrl: queue.deadLetterQueueUrl, applications, validBodies, poisonBodies, before };
}

/** True once nothing is visible, in flight or delayed on the source queue. */
export async function drained(sqs: SQSClient, board: Board): Promise<boolean> {
  const counts = await queueCounts(sqs, board.queueUrl);
  return counts.visible + counts.inFlight + counts.delayed === 0;
}

/** What {@link checkEndState} found. */
export interface EndState {
  /** Everything that is wrong; empty when the promise held. */
  readonly problems: string[];
  readonly deadLetters: Message[];
  /** Dead letters beyond one per poison message. */
  readonly duplicates: number;
  /** Valid messages found in the dead-letter queue (must be 0). */
  readonly validDeadLettered: number;
}

/**
 * The promise of the library, checked: every targeted pending application is DECLINED, no
 * other item changed, every poison message is in the dead-letter queue (with a reason) and
 * no valid one is, and the source queue holds nothing visible or in flight.
 *
 * `deadLetters: 'exactly-once'` also requires each poison message there once. Under crashes
 * a message dead-lettered just before its worker died is dead-lettered again on redelivery
 * (SQS standard queues are at-least-once): those runs use `'at-least-once'` and the
 * duplicates carry the same `batchDecline.sourceMessageId`.
 */
export async function checkEndState(
  dynamodb: DynamoDBClient,
  sqs: SQSClient,
  board: Board,
  options: { deadLetters: 'exactly-once' | 'at-least-once' },
): Promise<EndState> {
  const problems: string[] = [];
  const after = await readApplications(dynamodb, board.tableName);
  for (const application of board.applications) {
    const key = applicationKey(application.jobId, application.applicationId);
    const now = after.get(key);
    const old = board.before.get(key);
    if (application.status === 'PENDING') {
      if (now?.jobApplicationStatus?.S !== 'DECLINED') problems.push(`${key} is ${now?.jobApplicationStatus?.S}, not DECLINED`);
    } else if (JSON.stringify(now) !== JSON.stringify(old)) problems.push(`${key} (${application.status}) changed`);
  }
  if (after.size !== board.before.size) problems.push(`the table holds ${after.size} items, ${board.before.size} were seeded`);

  const deadLetters = await drainQueue(sqs, board.deadLetterQueueUrl);
  const bodies = deadLetters.map((m) => m.Body!);
  const valid = new Set(board.validBodies);
  const validDeadLettered = bodies.filter((body) => valid.has(body)).length;
  if (validDeadLettered > 0) problems.push(`${validDeadLettered} valid messages are in the dead-letter queue`);
  const unique = new Set(bodies);
  const missing = board.poisonBodies.filter((body) => !unique.has(body));
  if (missing.length > 0) problems.push(`${missing.length} poison messages are not in the dead-letter queue`);
  const duplicates = bodies.length - unique.size;
  if (options.deadLetters === 'exactly-once' && duplicates > 0) problems.push(`${duplicates} poison messages are in the dead-letter queue twice`);
  for (const message of deadLetters) {
    const reason = message.MessageAttributes?.[DEAD_LETTER_ATTRIBUTES.reason]?.StringValue;
    // Poison reaches the DLQ with a reason unless the redrive policy moved it.
    if (reason !== undefined && !/Invalid decline request|does not exist/.test(reason)) problems.push(`unexpected reason: ${reason}`);
  }
  const counts = await queueCounts(sqs, board.queueUrl);
  if (counts.visible + counts.inFlight + counts.delayed > 0) problems.push(`the queue still holds ${JSON.stringify(counts)}`);
  return { problems, deadLetters, duplicates, validDeadLettered };
}
