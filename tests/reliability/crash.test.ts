import { localAwsEnvironment, queueCounts } from '@batch-decline/testing';
import { useLocalAws } from '@batch-decline/testing/vitest';
import { describe, expect, it } from 'vitest';
import { runCli, processedLines, type CliRun } from '../../packages/consumer/test/cliRunner.js';
import { drained, seedBoard } from './board.js';
import { expectEndState } from './expectEndState.js';

const wait = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('crashes and shutdowns of the consumer CLI', () => {
  it('two workers, one killed with SIGKILL three times and restarted: every decline applied, poison dead-lettered, nothing left', async () => {
    const aws = useLocalAws();
    const board = await seedBoard(aws.dynamodb, aws.sqs, { messages: 5000, poisonShare: 0.02, notPendingShare: 0.02, visibilityTimeout: 3, maxReceiveCount: 5 });
    const env = { ...localAwsEnvironment(aws.endpoints), QUEUE_URL: board.queueUrl, TABLE_NAME: board.tableName, WRITE_MODE: 'batched', LOG_LEVEL: 'warn', SHUTDOWN_TIMEOUT_MS: '5000' };
    const steady = runCli(env);
    let victim: CliRun = runCli(env);
    const kills: number[] = [];
    for (let kill = 0; kill < 3; kill += 1) {
      await wait(800 + Math.random() * 1500);
      victim.child.kill('SIGKILL');
      await victim.exited;
      kills.push(Date.now());
      victim = runCli(env);
    }
    const until = Date.now() + 120_000;
    while (!(await drained(aws.sqs, board)) && Date.now() < until) await wait(250);
    steady.child.kill('SIGTERM');
    victim.child.kill('SIGTERM');
    expect((await steady.exited).code, steady.stderr()).toBe(0);
    expect((await victim.exited).code, victim.stderr()).toBe(0);
    expect(kills).toHaveLength(3);
    const { duplicates } = await expectEndState(aws.dynamodb, aws.sqs, board, { deadLetters: 'at-least-once' });
    // A poison message dead-lettered in the instant before a SIGKILL is dead-lettered again; rare.
    expect(duplicates).toBeLessThanOrEqual(3);
  }, 180_000);

  it('SIGTERM mid-run: exits 0 within its stop timeout and every message it held is visible again at once', async () => {
    const aws = useLocalAws();
    const board = await seedBoard(aws.dynamodb, aws.sqs, { messages: 1000, poisonShare: 0, visibilityTimeout: 120 });
    const run = runCli({ ...localAwsEnvironment(aws.endpoints), QUEUE_URL: board.queueUrl, TABLE_NAME: board.tableName, LOG_LEVEL: 'debug', SHUTDOWN_TIMEOUT_MS: '3000', MAX_IN_FLIGHT: '50' });
    while (processedLines(run).length < 300) await wait(20);
    const signalled = Date.now();
    run.child.kill('SIGTERM');
    expect((await run.exited).code, run.stderr()).toBe(0);
    expect(Date.now() - signalled).toBeLessThan(3000 + 2000);
    // With a 120 s visibility timeout, anything still invisible would be a message it kept.
    const counts = await queueCounts(aws.sqs, board.queueUrl);
    expect(counts.inFlight).toBe(0);
    expect(counts.visible).toBe(1000 - processedLines(run).length);
  }, 60_000);
});
