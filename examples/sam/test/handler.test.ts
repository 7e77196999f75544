import { applicationKey, drainQueue, queueCounts, readApplications, runEventSourceMapping, seedApplications, sendMessages } from '@batch-decline/testing';
import { useLocalAws } from '@batch-decline/testing/vitest';
import { describe, expect, it, vi } from 'vitest';

describe('examples/sam/src/handler.ts', () => {
  it.each(['single', 'batched'])('declines through the local event source mapping with WRITE_MODE=%s, configured only by its environment', async (writeMode) => {
    const aws = useLocalAws();
    const { tableName } = await aws.freshTable();
    const queue = await aws.freshQueue({ visibilityTimeout: 1, maxReceiveCount: 2 });
    await seedApplications(aws.dynamodb, tableName, [
      { jobId: 'j', applicationId: '1', status: 'PENDING' },
      { jobId: 'j', applicationId: '2', status: 'ACCEPTED' },
    ]);
    await sendMessages(aws.sqs, queue.queueUrl, ['{"jobId":"j","id":"1"}', '{"jobId":"j","id":"2"}', 'poison']);
    vi.stubEnv('TABLE_NAME', tableName);
    vi.stubEnv('WRITE_MODE', writeMode);
    vi.stubEnv('LOG_LEVEL', 'silent');
    vi.stubEnv('AWS_ENDPOINT_URL_DYNAMODB', aws.endpoints.dynamodbEndpoint);
    vi.stubEnv('AWS_REGION', aws.endpoints.region);
    vi.stubEnv('AWS_ACCESS_KEY_ID', 'local');
    vi.stubEnv('AWS_SECRET_ACCESS_KEY', 'local');
    vi.resetModules();
    const { handler } = await import('../src/handler.js');
    await runEventSourceMapping({ sqs: aws.sqs, queueUrl: queue.queueUrl, handler, waitTimeSeconds: 0 });
    vi.unstubAllEnvs();
    const items = await readApplications(aws.dynamodb, tableName);
    expect(items.get(applicationKey('j', '1'))?.jobApplicationStatus?.S).toBe('DECLINED');
    expect(items.get(applicationKey('j', '2'))?.jobApplicationStatus?.S).toBe('ACCEPTED');
    expect((await drainQueue(aws.sqs, queue.deadLetterQueueUrl)).map((m) => m.Body)).toEqual(['poison']);
    expect(await queueCounts(aws.sqs, queue.queueUrl)).toEqual({ visible: 0, inFlight: 0, delayed: 0 });
  }, 30_000);
});
