import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { SQSClient } from '@aws-sdk/client-sqs';
import { createApplicationsTable, createQueueWithDeadLetterQueue, seedApplications, sendMessages } from '@batch-decline/testing';
import { randomUUID } from 'node:crypto';

/** A fresh table with `count` PENDING applications and, if asked, a queue holding one decline message for each. */
export async function prepare(dynamodb: DynamoDBClient, sqs: SQSClient | undefined, count: number, enqueue = count) {
  const id = randomUUID().slice(0, 8);
  const tableName = `bench-${id}`;
  await createApplicationsTable(dynamodb, tableName);
  const applications = Array.from({ length: count }, (_, index) => ({ jobId: `job-${index % 200}`, applicationId: `a${index}`, status: 'PENDING' }));
  await seedApplications(dynamodb, tableName, applications);
  const bodies = applications.map((a) => JSON.stringify({ jobId: a.jobId, id: a.applicationId }));
  let queueUrl = '';
  if (sqs) {
    queueUrl = (await createQueueWithDeadLetterQueue(sqs, { name: `bench-${id}`, visibilityTimeout: 60 })).queueUrl;
    await sendMessages(sqs, queueUrl, bodies.slice(0, enqueue));
  }
  return { tableName, queueUrl, applications, bodies };
}
