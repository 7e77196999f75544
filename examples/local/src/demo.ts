import { createSqsConsumer } from '@batch-decline/consumer';
import {
  createApplicationRepository,
  createDeclineHandler,
  DEAD_LETTER_ATTRIBUTES,
  sendDeclineRequests,
  silentLogger,
  type DeclineOutcome,
  type RecordHandler,
} from '@batch-decline/core';
import { createSqsHandler } from '@batch-decline/lambda';
import {
  countRequests,
  createApplicationsTable,
  createDynamoDbClient,
  createQueueWithDeadLetterQueue,
  createSqsClient,
  drainQueue,
  queueCounts,
  readApplications,
  runEventSourceMapping,
  seedApplications,
  sendMessages,
  startLocalAws,
} from '@batch-decline/testing';
import { HELP, parseArgs, type DemoArgs } from './args.js';
import { createBoard } from './board.js';
import { createProgress } from './progress.js';
import { verify } from './verify.js';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

async function main(): Promise<number> {
  let args: DemoArgs;
  try {
    args = parseArgs(process.argv.slice(2));
  } catch (error) {
    process.stderr.write(`demo: ${(error as Error).message}\n`);
    return 2;
  }
  if (args.help) {
    process.stdout.write(HELP);
    return 0;
  }
  const say = (line: string) => process.stdout.write(`${line}\n`);
  say(`Starting DynamoDB Local and the SQS emulator ...`);
  const aws = await startLocalAws();
  try {
    const dynamodb = createDynamoDbClient(aws);
    const sqs = createSqsClient(aws);
    const tableName = 'babysitter-applications';
    await createApplicationsTable(dynamodb, tableName);
    // As the seed's SAM template: visibility timeout 20 s, redrive to a DLQ after 5 receives.
    const queue = await createQueueWithDeadLetterQueue(sqs, { name: 'update-job-applications', visibilityTimeout: 20, maxReceiveCount: 5 });

    const board = createBoard(args.applications, args.jobs);
    await seedApplications(dynamodb, tableName, board.applications);
    const before = await readApplications(dynamodb, tableName);
    const targets = board.applications.filter((application) => board.closedJobs.has(application.jobId));
    say(`Seeded ${board.applications.length} applications on ${args.jobs} jobs; closing ${board.closedJobs.size} jobs.`);

    // The producer side: what the function that closes a job does.
    const sent = await sendDeclineRequests({ sqs, queueUrl: queue.queueUrl, requests: targets });
    if (sent.failed.length > 0) throw new Error(`${sent.failed.length} decline requests could not be queued: ${sent.failed[0]!.error.message}`);
    // A buggy producer: messages the consumer must reject without blocking the rest.
    await sendMessages(sqs, queue.queueUrl, board.poison.map((poison) => poison.body));
    const total = sent.sent.length + board.poison.length;
    say(`Queued ${sent.sent.length} declines and ${board.poison.length} poison messages; processing (mode ${args.mode}, write mode ${args.writeMode}) ...`);

    const sqsRequests = countRequests(sqs);
    const dynamodbRequests = countRequests(dynamodb);
    const outcomes = new Map<string, DeclineOutcome>();
    const byPath = { lambda: 0, consumer: 0 };
    const deadLettered = new Set<string>();
    const repository = createApplicationRepository({ client: dynamodb, tableName, writeMode: args.writeMode });
    const decline = createDeclineHandler(repository);
    const recording =
      (path: 'lambda' | 'consumer'): RecordHandler<DeclineOutcome> =>
      async (record, context) => {
        const outcome = await decline(record, context);
        if (!outcomes.has(record.id)) {
          outcomes.set(record.id, outcome);
          byPath[path] += 1;
        }
        return outcome;
      };

    const started = Date.now();
    const progress = createProgress(total);
    const settled = () => outcomes.size + deadLettered.size;
    const ticker = setInterval(() => progress.update(settled(), `lambda ${byPath.lambda}, consumer ${byPath.consumer}, dead-lettered ${deadLettered.size}`), 200);

    const work: Promise<unknown>[] = [];
    if (args.mode !== 'consumer') {
      const handler = createSqsHandler(recording('lambda'), {
        deadLetterQueueUrl: queue.deadLetterQueueUrl,
        sqs,
        logger: silentLogger,
        onReport: ({ deadLettered: ids }) => ids.forEach((id) => deadLettered.add(id)),
      });
      work.push(runEventSourceMapping({ sqs, queueUrl: queue.queueUrl, handler, batchSize: 10, concurrency: 3, waitTimeSeconds: 1, functionTimeoutMs: 30_000 }));
    }
    if (args.mode !== 'lambda') {
      const consumer = createSqsConsumer({ queueUrl: queue.queueUrl, handler: recording('consumer'), sqs, waitTimeSeconds: 1, logger: silentLogger });
      consumer.on('deadLettered', ({ messageId }) => deadLettered.add(messageId));
      await consumer.start();
      work.push(
        (async () => {
          for (;;) {
            await new Promise((resolve) => setTimeout(resolve, 100));
            const counts = settled() >= total ? await queueCounts(sqs, queue.queueUrl) : undefined;
            if (counts && counts.visible + counts.inFlight + counts.delayed === 0) break;
            if (Date.now() - started > 120_000) break;
          }
          await consumer.stop();
        })(),
      );
    }
    await Promise.all(work);
    clearInterval(ticker);
    progress.update(settled(), `lambda ${byPath.lambda}, consumer ${byPath.consumer}, dead-lettered ${deadLettered.size}`);
    progress.done();
    const elapsedMs = Date.now() - started;
    const requestsPerMessage = { sqs: sqsRequests.total / total, dynamodb: dynamodbRequests.total / total };

    const deadLetters = await drainQueue(sqs, queue.deadLetterQueueUrl);
    const after = await readApplications(dynamodb, tableName);
    const counts = await queueCounts(sqs, queue.queueUrl);

    // The summary.
    const tally = new Map<string, number>();
    const add = (key: string) => tally.set(key, (tally.get(key) ?? 0) + 1);
    for (const outcome of outcomes.values()) add(outcome.outcome === 'not-pending' ? `left alone: ${outcome.status}` : outcome.outcome);
    for (const message of deadLetters) add(`dead-lettered: ${message.MessageAttributes?.[DEAD_LETTER_ATTRIBUTES.errorName]?.StringValue ?? 'by redrive policy'}`);
    const rows: [string, string][] = [
      ...[...tally.entries()].sort().map(([key, value]): [string, string] => [key, String(value)]),
      ['messages', String(total)],
      ...(args.mode === 'both' ? ([['  through the Lambda adapter', String(byPath.lambda)], ['  through the container consumer', String(byPath.consumer)]] as [string, string][]) : []),
      ['elapsed', `${(elapsedMs / 1000).toFixed(2)} s`],
      ['messages per second', (total / (elapsedMs / 1000)).toFixed(0)],
      ['SQS requests per message', requestsPerMessage.sqs.toFixed(3)],
      ['DynamoDB requests per message', requestsPerMessage.dynamodb.toFixed(3)],
    ];
    const width = Math.max(...rows.map(([key]) => key.length));
    say('');
    for (const [key, value] of rows) say(`  ${key.padEnd(width)}  ${value.padStart(10)}`);
    say('');

    const problems = verify({ board, before, after, outcomes, deadLetters, queueCounts: counts });
    if (problems.length > 0) {
      say(`CHECK FAILED: ${problems.length} problem(s):`);
      for (const problem of problems.slice(0, 20)) say(`  - ${problem}`);
      return 1;
    }
    say('Check passed: every targeted pending application is DECLINED, nothing else changed, every poison message is in the dead-letter queue, the queue is empty.');
    return 0;
  } finally {
    await aws.stop();
  }
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`demo failed: ${(error as Error)?.stack ?? String(error)}\n`);
    process.exitCode = 1;
  },
);
