import { existsSync } from 'node:fs';
import { localAwsEnvironment, queueCounts, readApplications, seedApplications, sendMessages } from '@batch-decline/testing';
import { useLocalAws } from '@batch-decline/testing/vitest';
import { beforeAll, describe, expect, it } from 'vitest';
import { cli, processedLines, runCli } from './cliRunner.js';
import { waitFor } from './helpers.js';

const processed = processedLines;

describe('the batch-decline-consumer CLI', () => {
  beforeAll(() => {
    if (!existsSync(cli)) throw new Error(`${cli} is missing: build first (pnpm test does)`);
  });

  it('stops gracefully on SIGTERM and a second run finishes the rest: nothing lost, nothing declined twice', async () => {
    const aws = useLocalAws();
    const { tableName } = await aws.freshTable();
    const queue = await aws.freshQueue({ visibilityTimeout: 30 });
    const applications = Array.from({ length: 1000 }, (_, index) => ({ jobId: `job-${index % 25}`, applicationId: `a${index}`, status: 'PENDING' }));
    await seedApplications(aws.dynamodb, tableName, applications);
    await sendMessages(aws.sqs, queue.queueUrl, applications.map((a) => JSON.stringify({ jobId: a.jobId, id: a.applicationId })));
    const env = {
      ...localAwsEnvironment(aws.endpoints),
      QUEUE_URL: queue.queueUrl,
      TABLE_NAME: tableName,
      LOG_LEVEL: 'debug',
      MAX_IN_FLIGHT: '20',
      SHUTDOWN_TIMEOUT_MS: '5000',
    };

    const first = runCli(env);
    await waitFor(() => processed(first).length >= 500, 30_000, 'half of the messages');
    first.child.kill('SIGTERM');
    const firstExit = await first.exited;
    expect(firstExit, first.stderr()).toEqual({ code: 0, signal: null });
    expect(first.lines.some((line) => line.message === 'consumer stopped')).toBe(true);
    // Nothing is left in flight: what the first run did not finish is visible again at once.
    expect((await queueCounts(aws.sqs, queue.queueUrl)).inFlight).toBe(0);

    const second = runCli(env);
    await waitFor(async () => (await queueCounts(aws.sqs, queue.queueUrl)).visible === 0 && processed(second).length > 0, 30_000, 'the rest');
    await waitFor(() => processed(first).length + processed(second).length >= 1000, 30_000, 'all messages');
    second.child.kill('SIGTERM');
    expect((await second.exited).code).toBe(0);

    const outcomes = [...processed(first), ...processed(second)].map((line) => line.outcome);
    expect(outcomes.filter((outcome) => outcome === 'declined')).toHaveLength(1000);
    expect(outcomes.filter((outcome) => outcome !== 'declined')).toEqual([]);
    const items = await readApplications(aws.dynamodb, tableName);
    expect([...items.values()].every((item) => item.jobApplicationStatus?.S === 'DECLINED')).toBe(true);
    expect(await queueCounts(aws.sqs, queue.queueUrl)).toEqual({ visible: 0, inFlight: 0, delayed: 0 });
    // JSON logs, never a message body.
    expect(JSON.stringify([...first.lines, ...second.lines])).not.toContain('"jobId"');
  }, 90_000);

  it('exits non-zero naming the variable when the configuration is wrong', async () => {
    const run = runCli({ QUEUE_URL: 'http://127.0.0.1:1/000000000000/q', TABLE_NAME: 'apps', AWS_REGION: 'us-east-1', MAX_IN_FLIGHT: 'lots' });
    const exit = await run.exited;
    expect(exit.code).toBe(2);
    expect(run.stderr()).toMatch(/MAX_IN_FLIGHT must be a whole number/);
  });
});
