import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import type { SQSEvent, SQSRecord } from 'aws-lambda';
import fc from 'fast-check';
import { createMemoryLogger, sendMessages } from '@batch-decline/testing';
import { useLocalAws } from '@batch-decline/testing/vitest';
import { describe, expect, it } from 'vitest';
import { createSqsHandler } from '../src/createSqsHandler.js';
import { contextWithRemaining, receiveEvent } from './events.js';

type Outcome = { threw: true } | { threw: false; ids: string[] };

async function settle(run: () => Promise<{ batchItemFailures: { itemIdentifier: string }[] }>): Promise<Outcome> {
  try {
    const response = await run();
    return { threw: false, ids: response.batchItemFailures.map((failure) => failure.itemIdentifier).sort() };
  } catch {
    return { threw: true };
  }
}

describe('differential: Powertools processPartialResponse and createSqsHandler', () => {
  it('report the same batchItemFailures for the same standard-queue events', async () => {
    const aws = useLocalAws();
    const queue = await aws.freshQueue();
    await sendMessages(aws.sqs, queue.queueUrl, Array.from({ length: 10 }, (_, index) => `message-${index}`));
    const received = await receiveEvent(aws.sqs, queue.queueUrl, queue.queueArn, 10);
    expect(received.Records).toHaveLength(10);

    await fc.assert(
      fc.asyncProperty(
        fc.subarray(received.Records, { minLength: 0 }),
        fc.func(fc.constantFrom('ok', 'throw', 'reject', 'throw-string')),
        async (records, fate) => {
          const event: SQSEvent = { Records: records };
          const behave = async (body: string) => {
            const what = fate(body);
            if (what === 'throw') throw new Error(`failed ${body}`);
            if (what === 'reject') return Promise.reject(new TypeError('rejected'));
            // eslint-disable-next-line @typescript-eslint/only-throw-error
            if (what === 'throw-string') throw 'a string';
            return body;
          };
          const theirs = await settle(() =>
            processPartialResponse(event, (record: SQSRecord) => behave(record.body), new BatchProcessor(EventType.SQS)),
          );
          const ours = await settle(() =>
            createSqsHandler((record) => behave(record.body), { logger: createMemoryLogger().logger, throwOnFullBatchFailure: true })(
              event,
              contextWithRemaining(30_000),
            ),
          );
          if (records.length === 0) {
            // Powertools rejects an empty batch; Lambda never sends one. Ours answers with no failures.
            expect(ours).toEqual({ threw: false, ids: [] });
            return;
          }
          expect(ours).toEqual(theirs);
        },
      ),
      { numRuns: 200 },
    );
  });
});
