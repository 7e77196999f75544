import { SendMessageBatchCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { countRequests, createSqsClient, drainQueue } from '@batch-decline/testing';
import { useLocalAws } from '@batch-decline/testing/vitest';
import { describe, expect, it } from 'vitest';
import { InvalidMessageError } from './errors.js';
import { parseDeclineRequest } from './parseDeclineRequest.js';
import { sendDeclineRequests } from './sendDeclineRequests.js';

describe('sendDeclineRequests', () => {
  it('sends valid requests 10 per call as bodies the consumer parses, and reports invalid ones without sending them', async () => {
    const aws = useLocalAws();
    const queue = await aws.freshQueue();
    const sqs = createSqsClient(aws.endpoints);
    const counted = countRequests(sqs);
    const requests = [
      ...Array.from({ length: 45 }, (_, index) => ({ jobId: 'job-1', applicationId: index })),
      { jobId: 'job-1', applicationId: 'bad#id' },
      { jobId: '', applicationId: 'x' },
    ];
    const result = await sendDeclineRequests({ sqs, queueUrl: queue.queueUrl, requests });
    expect(result.sent).toHaveLength(45);
    expect(result.failed.map((f) => f.index)).toEqual([45, 46]);
    expect(result.failed.every((f) => f.error instanceof InvalidMessageError)).toBe(true);
    expect(counted.byCommand.SendMessageBatchCommand).toBe(5);
    const messages = await drainQueue(aws.sqs, queue.queueUrl);
    const parsed = messages.map((m) => parseDeclineRequest(m.Body)).map((r) => Number(r.applicationId)).sort((a, b) => a - b);
    expect(parsed).toEqual(Array.from({ length: 45 }, (_, index) => index));
  });

  it('sets the job as the message group and a job+application deduplication id on a FIFO queue', async () => {
    const aws = useLocalAws();
    const queue = await aws.freshQueue({ fifo: true });
    const requests = [
      { jobId: 'job-1', applicationId: 'a' },
      { jobId: 'job-2', applicationId: 'b' },
      { jobId: 'job-1', applicationId: 'a' },
    ];
    const result = await sendDeclineRequests({ sqs: aws.sqs, queueUrl: queue.queueUrl, requests });
    expect(result.failed).toEqual([]);
    // The emulator hands out one message per group at a time: drain until empty.
    const messages = [];
    for (let round = 0; round < 5; round += 1) messages.push(...(await drainQueue(aws.sqs, queue.queueUrl)));
    // The duplicate was dropped by SQS deduplication.
    expect(messages.map((m) => `${m.Attributes?.MessageGroupId}/${m.Attributes?.MessageDeduplicationId}`).sort()).toEqual([
      'job-1/job-1:a',
      'job-2/job-2:b',
    ]);
  });

  it('retries entries the service failed and reports those that never went', async () => {
    const aws = useLocalAws();
    const queue = await aws.freshQueue();
    let calls = 0;
    // The one simulated fault: SQS failing an entry server-side (the emulator never does).
    const flaky = {
      send: async (command: SendMessageBatchCommand) => {
        calls += 1;
        const rest = command.input.Entries!.slice(1);
        const result = rest.length > 0 ? await aws.sqs.send(new SendMessageBatchCommand({ ...command.input, Entries: rest })) : { Successful: [] };
        return { ...result, Failed: [{ Id: command.input.Entries![0]!.Id, Code: 'InternalError', SenderFault: false, Message: 'try again' }] };
      },
    } as unknown as SQSClient;
    const result = await sendDeclineRequests({ sqs: flaky, queueUrl: queue.queueUrl, requests: [{ jobId: 'j', applicationId: 1 }, { jobId: 'j', applicationId: 2 }], maxAttempts: 3 });
    // Each call drops its first entry: request 2 goes on the first call, request 1 never does.
    expect(result.sent.map((s) => s.request.applicationId)).toEqual(['2']);
    expect(result.failed.map((f) => f.error.message)).toEqual([expect.stringMatching(/InternalError/)]);
    expect(calls).toBe(3);
  });

  it('rejects malformed options with TypeErrors', async () => {
    const aws = useLocalAws();
    await expect(sendDeclineRequests({ sqs: aws.sqs, queueUrl: 'q', requests: [] })).rejects.toThrow(/queueUrl to be a queue URL/);
    await expect(sendDeclineRequests({ sqs: aws.sqs, queueUrl: 'http://q', requests: 'x' as never })).rejects.toThrow(/requests to be an array/);
  });
});
