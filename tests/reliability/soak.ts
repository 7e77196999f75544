// The soak run (`pnpm soak`, not in CI): 100,000 decline messages through two consumer CLI
// processes with every fault of the reliability suite mixed in — SQS calls failing and
// stalling, DynamoDB throttling and 500s, DynamoDB Local paused, a worker killed with SIGKILL
// and restarted — then the same end-state check and the figures.
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { createDynamoDbClient, createSqsClient, localAwsEnvironment, startDynamoDbLocal, startFaultProxy, startSqsEmulator } from '@batch-decline/testing';
import { checkEndState, drained, seedBoard } from './board.js';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
const messages = Number(process.argv.find((arg) => arg.startsWith('--messages='))?.split('=')[1] ?? 100_000);
const cli = fileURLToPath(new URL('../../packages/consumer/dist/cli.js', import.meta.url));
const say = (line: string) => process.stdout.write(`${new Date().toISOString().slice(11, 19)} ${line}\n`);
const wait = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function main(): Promise<number> {
  const [dynamodbLocal, emulator] = await Promise.all([startDynamoDbLocal(), startSqsEmulator()]);
  const endpoints = { dynamodbEndpoint: dynamodbLocal.endpoint, sqsEndpoint: emulator.endpoint, region: 'us-east-1' };
  const dynamodb = createDynamoDbClient(endpoints);
  const sqs = createSqsClient(endpoints);
  const workers: ChildProcess[] = [];
  try {
    say(`seeding ${messages} messages (2% poison, 2% no longer pending) ...`);
    const board = await seedBoard(dynamodb, sqs, { messages, poisonShare: 0.02, notPendingShare: 0.02, visibilityTimeout: 5, maxReceiveCount: 8 });
    const sqsOps = ['ReceiveMessage', 'DeleteMessageBatch', 'ChangeMessageVisibilityBatch', 'SendMessageBatch'];
    const sqsProxy = await startFaultProxy({
      target: emulator.endpoint,
      rules: [
        { operations: sqsOps, probability: 0.04, fault: { kind: 'server-error' } },
        { operations: sqsOps, probability: 0.03, fault: { kind: 'throttle' } },
        { operations: sqsOps, probability: 0.02, fault: { kind: 'drop' } },
        { operations: sqsOps, probability: 0.01, fault: { kind: 'delay', ms: 2000 } },
      ],
    });
    const dynamodbProxy = await startFaultProxy({
      target: dynamodbLocal.endpoint,
      rules: [
        { probability: 0.02, fault: { kind: 'throttle' } },
        { probability: 0.01, fault: { kind: 'server-error' } },
      ],
    });
    const env = {
      PATH: process.env.PATH ?? '',
      ...localAwsEnvironment({ ...endpoints, sqsEndpoint: sqsProxy.endpoint, dynamodbEndpoint: dynamodbProxy.endpoint }),
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
      QUEUE_URL: board.queueUrl,
      TABLE_NAME: board.tableName,
      WRITE_MODE: 'batched',
      LOG_LEVEL: 'error',
      SHUTDOWN_TIMEOUT_MS: '5000',
    };
    const start = () => {
      const child = spawn(process.execPath, [cli], { env, stdio: ['ignore', 'ignore', 'inherit'] });
      workers.push(child);
      return child;
    };
    start();
    let victim = start();
    const started = Date.now();
    let kills = 0;
    let pauses = 0;
    let nextKill = started + 15_000;
    let nextPause = started + 25_000;
    while (!(await drained(sqs, board))) {
      await wait(1000);
      const now = Date.now();
      if (now > nextKill) {
        victim.kill('SIGKILL');
        kills += 1;
        victim = start();
        nextKill = now + 15_000 + Math.random() * 10_000;
      }
      if (now > nextPause) {
        dynamodbLocal.pause();
        await wait(5000);
        dynamodbLocal.resume();
        pauses += 1;
        nextPause = Date.now() + 30_000;
      }
      if (now - started > 60 * 60_000) throw new Error('not drained within an hour');
      if ((now - started) % 10_000 < 1000) say(`running: ${kills} kills, ${pauses} pauses so far`);
    }
    const elapsed = (Date.now() - started) / 1000;
    for (const worker of workers) worker.kill('SIGTERM');
    const state = await checkEndState(dynamodb, sqs, board, { deadLetters: 'at-least-once' });
    const injected = { ...sqsProxy.injected, ...Object.fromEntries(Object.entries(dynamodbProxy.injected).map(([k, v]) => [`dynamodb ${k}`, v])) };
    say(`messages ${messages}, elapsed ${elapsed.toFixed(0)} s (${(messages / elapsed).toFixed(0)}/s)`);
    say(`faults injected: ${Object.values(injected).reduce((a, b) => a + b, 0)} (${JSON.stringify(injected)}), SIGKILLs ${kills}, DynamoDB pauses ${pauses}`);
    say(`dead-lettered ${state.deadLetters.length} (poison ${board.poisonBodies.length}, duplicates ${state.duplicates}, valid ${state.validDeadLettered})`);
    say(`lost = ${state.problems.length === 0 ? 0 : 'see problems'}`);
    await Promise.all([sqsProxy.stop(), dynamodbProxy.stop()]);
    if (state.problems.length > 0) {
      say(`END STATE WRONG: ${state.problems.slice(0, 20).join('; ')}`);
      return 1;
    }
    say('end state correct: every decline applied or dead-lettered, nothing else changed, the queue is empty');
    return 0;
  } finally {
    for (const worker of workers) worker.kill('SIGKILL');
    dynamodb.destroy();
    sqs.destroy();
    await Promise.all([dynamodbLocal.stop(), emulator.stop()]);
  }
}

main().then(
  (code) => (process.exitCode = code),
  (error: unknown) => {
    process.stderr.write(`soak failed: ${(error as Error)?.stack ?? String(error)}\n`);
    process.exitCode = 1;
  },
);
