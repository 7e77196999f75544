import { SQSClient } from '@aws-sdk/client-sqs';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { createApplicationRepository, createDeclineHandler, createJsonLogger } from '@batch-decline/core';
import { CLI_VARIABLES, ConfigError, readCliConfig } from './cliConfig.js';
import { createSqsConsumer } from './createSqsConsumer.js';

const HELP = `batch-decline-consumer: declines pending job applications from an SQS queue into DynamoDB.

Configured from the environment:
${Object.entries(CLI_VARIABLES)
  .map(([name, meaning]) => `  ${name.padEnd(26)}${meaning}`)
  .join('\n')}

Logs are JSON lines and never contain message bodies. SIGTERM or SIGINT
stops gracefully (exit 0); a second signal exits at once (exit 130).
`;

async function main(): Promise<number> {
  if (process.argv.includes('--help') || process.argv.includes('-h')) {
    process.stdout.write(HELP);
    return 0;
  }
  let config;
  try {
    config = readCliConfig(process.env);
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`batch-decline-consumer: ${error.message}\nRun with --help for the variables it reads.\n`);
      return 2;
    }
    throw error;
  }
  const logger = createJsonLogger({ level: config.logLevel, service: 'batch-decline-consumer' });
  // With a custom endpoint (a local emulator), the queue URL's host may not resolve: keep the endpoint.
  const sqs = new SQSClient({ region: config.region, ...(config.customSqsEndpoint ? { useQueueUrlAsEndpoint: false } : {}) });
  const dynamodb = new DynamoDBClient({ region: config.region });
  const repository = createApplicationRepository({ client: dynamodb, tableName: config.tableName, writeMode: config.writeMode });
  const consumer = createSqsConsumer({
    queueUrl: config.queueUrl,
    handler: createDeclineHandler(repository),
    sqs,
    maxInFlight: config.maxInFlight,
    deadLetterQueueUrl: config.deadLetterQueueUrl,
    logger,
  });
  consumer.on('started', (event) => logger.info('consumer started', { ...event, writeMode: config.writeMode, maxInFlight: config.maxInFlight }));
  consumer.on('failed', (event) =>
    logger.warn('message failed', {
      messageId: event.messageId,
      kind: event.kind,
      error: event.error,
      receiveCount: event.receiveCount,
      retryInSeconds: event.retryInSeconds,
    }),
  );
  consumer.on('processed', (event) => logger.debug('message processed', { messageId: event.messageId, outcome: (event.value as { outcome?: string })?.outcome, durationMs: event.durationMs }));
  consumer.on('deadLettered', (event) => logger.warn('message dead-lettered', { messageId: event.messageId, reason: event.reason }));
  consumer.on('stopped', (summary) => logger.info('consumer stopped', { ...summary }));
  const progress = setInterval(() => logger.info('status', { ...consumer.status }), 30_000);
  progress.unref();

  let signals = 0;
  const stopped = new Promise<number>((resolve) => {
    const onSignal = (signal: NodeJS.Signals) => {
      signals += 1;
      if (signals > 1) {
        logger.warn('second signal: exiting at once', { signal });
        process.exit(130);
      }
      logger.info('stopping', { signal, timeoutMs: config.shutdownTimeoutMs });
      void consumer.stop({ timeoutMs: config.shutdownTimeoutMs }).then(() => resolve(0));
    };
    process.on('SIGTERM', onSignal);
    process.on('SIGINT', onSignal);
  });
  await consumer.start();
  const code = await stopped;
  clearInterval(progress);
  sqs.destroy();
  dynamodb.destroy();
  return code;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`batch-decline-consumer: ${(error as Error)?.stack ?? String(error)}\n`);
    process.exitCode = 1;
  },
);
