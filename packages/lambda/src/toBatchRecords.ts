import type { BatchRecord } from '@batch-decline/core';
import { InvalidEventError } from './errors.js';
import type { SqsEvent, SqsEventRecord } from './types.js';

/**
 * Checks that an event is an SQS event and turns its records into `BatchRecord`s:
 * `messageId` as the id, `MessageGroupId`, `ApproximateReceiveCount`, the system attributes
 * and the string message attributes.
 *
 * @param event - the Lambda event.
 * @returns the records, in event order.
 * @throws InvalidEventError when the event is not an SQS event.
 * @example
 * ```ts
 * import { toBatchRecords } from '@batch-decline/lambda';
 *
 * const records = toBatchRecords(sqsEvent);
 * ```
 */
export function toBatchRecords(event: SqsEvent): BatchRecord[] {
  if (typeof event !== 'object' || event === null || !Array.isArray((event as Partial<SqsEvent>).Records)) {
    throw new InvalidEventError('expected an object with a Records array');
  }
  const seen = new Set<string>();
  return event.Records.map((record, index) => {
    if (typeof record !== 'object' || record === null) throw new InvalidEventError(`Records[${index}] is not an object`);
    if (record.eventSource !== 'aws:sqs') {
      throw new InvalidEventError(`Records[${index}] has eventSource ${JSON.stringify(String(record.eventSource).slice(0, 40))}, expected "aws:sqs"`);
    }
    if (typeof record.messageId !== 'string' || record.messageId === '') {
      throw new InvalidEventError(`Records[${index}] has no messageId`);
    }
    if (typeof record.body !== 'string') throw new InvalidEventError(`Records[${index}] has no string body`);
    if (seen.has(record.messageId)) throw new InvalidEventError(`messageId ${record.messageId} appears twice`);
    seen.add(record.messageId);
    return toBatchRecord(record, isFifoSource(record));
  });
}

function isFifoSource(record: SqsEventRecord): boolean {
  return typeof record.eventSourceARN === 'string' && record.eventSourceARN.endsWith('.fifo');
}

function toBatchRecord(record: SqsEventRecord, fifo: boolean): BatchRecord {
  const attributes: Record<string, string> = {};
  for (const [name, value] of Object.entries(record.attributes ?? {})) {
    if (typeof value === 'string') attributes[name] = value;
  }
  for (const [name, value] of Object.entries(record.messageAttributes ?? {})) {
    if (typeof value?.stringValue === 'string') attributes[`messageAttribute.${name}`] = value.stringValue;
  }
  const groupId = record.attributes?.MessageGroupId;
  const receiveCount = Number(record.attributes?.ApproximateReceiveCount);
  return {
    id: record.messageId,
    body: record.body,
    // A FIFO source always has groups; on a standard queue a MessageGroupId (fair queues) orders the group too.
    ...(typeof groupId === 'string' && groupId !== '' ? { groupId } : fifo ? { groupId: '' } : {}),
    ...(Number.isFinite(receiveCount) ? { receiveCount } : {}),
    attributes,
  };
}
