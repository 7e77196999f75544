import { createHash } from 'node:crypto';
import { SendMessageBatchCommand, type SendMessageBatchRequestEntry, type SQSClient } from '@aws-sdk/client-sqs';
import { describe } from './describe.js';
import { InvalidMessageError } from './errors.js';
import { validateId, type DeclineRequest } from './parseDeclineRequest.js';
import { translateError } from './translateError.js';

/** A request as a producer builds it: ids may be strings or non-negative integers. */
export interface DeclineRequestInput {
  readonly jobId: string | number;
  readonly applicationId: string | number;
}

/** Options of {@link sendDeclineRequests}. */
export interface SendDeclineRequestsOptions {
  /** The SQS client (IAM: `sqs:SendMessage` on the queue). */
  readonly sqs: Pick<SQSClient, 'send'>;
  /** The decline queue; a URL ending in `.fifo` gets group and deduplication ids. */
  readonly queueUrl: string;
  /** What to send: one message per application. */
  readonly requests: readonly DeclineRequestInput[];
  /**
   * `SendMessageBatch` calls in flight at once.
   * @defaultValue 4
   */
  readonly concurrency?: number;
  /**
   * Attempts per message before it is reported as failed (throttling, 5xx, network).
   * @defaultValue 4
   */
  readonly maxAttempts?: number;
}

/** What {@link sendDeclineRequests} did with each request. */
export interface SendDeclineRequestsResult {
  /** Requests on the queue, with their message ids, in input order. */
  readonly sent: readonly { readonly request: DeclineRequest; readonly messageId: string }[];
  /** Requests not sent (invalid, or refused after every attempt), with why, in input order. */
  readonly failed: readonly { readonly request: DeclineRequestInput; readonly index: number; readonly error: Error }[];
}

/**
 * The producer side, for the function that closes a job: validates each request as the
 * consumer will (`InvalidMessageError` for a bad id, never sent), sends the valid ones with
 * `SendMessageBatch` (10 per call, several calls in flight), retries failed entries and
 * failed calls with back-off, and on a FIFO queue sets `MessageGroupId` to the job and a
 * deduplication id from job and application (a resend within 5 minutes is dropped by SQS).
 * It never drops a request silently: each one is in `sent` or in `failed`.
 *
 * @param options - client, queue, requests, concurrency, attempts.
 * @returns what was sent and what failed.
 * @throws TypeError when the options are not of the expected shape.
 * @example
 * ```ts
 * import { SQSClient } from '@aws-sdk/client-sqs';
 * import { sendDeclineRequests } from '@batch-decline/core';
 *
 * const { sent, failed } = await sendDeclineRequests({
 *   sqs: new SQSClient({}),
 *   queueUrl: process.env.QUEUE_URL!,
 *   requests: pending.map((application) => ({ jobId: application.jobId, applicationId: application.id })),
 * });
 * if (failed.length > 0) throw new Error(`${failed.length} declines not queued`);
 * ```
 */
export async function sendDeclineRequests(options: SendDeclineRequestsOptions): Promise<SendDeclineRequestsResult> {
  const { sqs, queueUrl, requests } = options;
  if (typeof sqs?.send !== 'function') throw new TypeError(`sendDeclineRequests: expected sqs to be an SQSClient, got ${describe(sqs)}`);
  if (typeof queueUrl !== 'string' || !/^https?:\/\/\S+$/.test(queueUrl)) {
    throw new TypeError(`sendDeclineRequests: expected queueUrl to be a queue URL, got ${describe(queueUrl)}`);
  }
  if (!Array.isArray(requests)) throw new TypeError(`sendDeclineRequests: expected requests to be an array, got ${describe(requests)}`);
  const concurrency = options.concurrency ?? 4;
  const maxAttempts = options.maxAttempts ?? 4;
  if (!Number.isInteger(concurrency) || concurrency < 1) throw new TypeError(`sendDeclineRequests: expected concurrency to be an integer >= 1, got ${describe(concurrency)}`);
  if (!Number.isInteger(maxAttempts) || maxAttempts < 1) throw new TypeError(`sendDeclineRequests: expected maxAttempts to be an integer >= 1, got ${describe(maxAttempts)}`);

  const fifo = queueUrl.endsWith('.fifo');
  const sent: { request: DeclineRequest; messageId: string; index: number }[] = [];
  const failed: { request: DeclineRequestInput; index: number; error: Error }[] = [];
  const valid: { request: DeclineRequest; index: number }[] = [];
  requests.forEach((input, index) => {
    try {
      if (typeof input !== 'object' || input === null) throw new InvalidMessageError('body', `must be an object with jobId and applicationId, got ${describe(input)}`, '');
      valid.push({ request: { jobId: validateId(input.jobId, 'jobId'), applicationId: validateId(input.applicationId, 'id') }, index });
    } catch (error) {
      failed.push({ request: input, index, error: error as Error });
    }
  });

  const chunks: (typeof valid)[] = [];
  for (let i = 0; i < valid.length; i += 10) chunks.push(valid.slice(i, i + 10));
  const sendChunk = async (chunk: typeof valid) => {
    let pending = chunk.map((item) => ({ ...item, attempts: 0, lastError: undefined as Error | undefined }));
    while (pending.length > 0) {
      const entries: SendMessageBatchRequestEntry[] = pending.map(({ request }, position) => ({
        Id: String(position),
        MessageBody: JSON.stringify({ jobId: request.jobId, id: request.applicationId }),
        ...(fifo ? { MessageGroupId: request.jobId, MessageDeduplicationId: deduplicationId(request) } : {}),
      }));
      const retry: typeof pending = [];
      try {
        const result = await sqs.send(new SendMessageBatchCommand({ QueueUrl: queueUrl, Entries: entries }));
        for (const entry of result.Successful ?? []) {
          const item = pending[Number(entry.Id)]!;
          sent.push({ request: item.request, messageId: entry.MessageId ?? '', index: item.index });
        }
        for (const entry of result.Failed ?? []) {
          const item = pending[Number(entry.Id)]!;
          item.attempts += 1;
          item.lastError = new Error(`SendMessageBatch entry refused (${entry.Code}): ${entry.Message ?? ''}`);
          if (entry.SenderFault || item.attempts >= maxAttempts) failed.push({ request: item.request, index: item.index, error: item.lastError });
          else retry.push(item);
        }
      } catch (error) {
        const translated = translateError(error, 'SQS SendMessageBatch');
        for (const item of pending) {
          item.attempts += 1;
          item.lastError = translated;
          if (item.attempts >= maxAttempts) failed.push({ request: item.request, index: item.index, error: translated });
          else retry.push(item);
        }
      }
      pending = retry;
      if (pending.length > 0) await new Promise((resolve) => setTimeout(resolve, 50 * 2 ** Math.min(...pending.map((p) => p.attempts)) * (0.5 + Math.random())));
    }
  };
  let next = 0;
  const worker = async () => {
    while (next < chunks.length) await sendChunk(chunks[next++]!);
  };
  // FIFO: one sender keeps each job's messages in the order given.
  await Promise.all(Array.from({ length: fifo ? 1 : Math.min(concurrency, chunks.length) }, worker));

  sent.sort((a, b) => a.index - b.index);
  failed.sort((a, b) => a.index - b.index);
  return { sent: sent.map(({ request, messageId }) => ({ request, messageId })), failed };
}

function deduplicationId(request: DeclineRequest): string {
  const plain = `${request.jobId}:${request.applicationId}`;
  return plain.length <= 128 ? plain : createHash('sha256').update(plain).digest('hex');
}
