import { BatchExecuteStatementCommand, type AttributeValue, type BatchStatementRequest } from '@aws-sdk/client-dynamodb';
import {
  buildKey,
  outcomeFromOldItem,
  type ApplicationRepository,
  type DeclineOutcome,
  type RepositoryConfig,
} from './createApplicationRepository.js';
import { TransientError } from './errors.js';
import type { DeclineRequest } from './parseDeclineRequest.js';
import { translateError } from './translateError.js';

interface Pending {
  readonly request: DeclineRequest;
  readonly keyId: string;
  readonly parameters: AttributeValue[];
  readonly signal: AbortSignal | undefined;
  readonly resolve: (outcome: DeclineOutcome) => void;
  readonly reject: (error: Error) => void;
  readonly onAbort: () => void;
}

/**
 * The batched write mode: declines requested in the same turn of the event loop are
 * coalesced into PartiQL `BatchExecuteStatement` calls of up to `maxBatchSize` statements.
 * Every statement carries its own condition (`WHERE <key> AND status = from`, which also
 * fails for a missing item) and returns the old item on a failed condition, so each
 * decline gets the same outcome it would get from `UpdateItem`.
 *
 * A call may not name one key twice, so a duplicate waits for the next call.
 *
 * @internal
 */
export function createBatchedWriter(config: RepositoryConfig): ApplicationRepository {
  const { tableName, statusAttribute, declinedAtAttribute } = config;
  const queue: Pending[] = [];
  let scheduled = false;

  const quote = (name: string) => `"${name}"`;
  const statementFor = (keyNames: readonly string[]): string => {
    const set = [`SET ${quote(statusAttribute)} = ?`];
    if (declinedAtAttribute !== false) set.push(`SET ${quote(declinedAtAttribute)} = ?`);
    const where = [...keyNames.map((name) => `${quote(name)} = ?`), `${quote(statusAttribute)} = ?`];
    return `UPDATE ${quote(tableName)} ${set.join(' ')} WHERE ${where.join(' AND ')}`;
  };
  const statements = new Map<string, string>();

  const takeChunk = (): Pending[] => {
    const chunk: Pending[] = [];
    const keys = new Set<string>();
    for (let i = 0; i < queue.length && chunk.length < config.maxBatchSize; ) {
      const entry = queue[i]!;
      if (keys.has(entry.keyId)) {
        i += 1;
        continue;
      }
      keys.add(entry.keyId);
      chunk.push(entry);
      queue.splice(i, 1);
    }
    return chunk;
  };

  const flush = () => {
    scheduled = false;
    while (queue.length > 0) void send(takeChunk());
  };

  const schedule = () => {
    if (queue.length >= config.maxBatchSize) flush();
    else if (!scheduled) {
      scheduled = true;
      setImmediate(flush);
    }
  };

  const send = async (chunk: Pending[]): Promise<void> => {
    for (const entry of chunk) entry.signal?.removeEventListener('abort', entry.onAbort);
    const now = new Date().toISOString();
    const requests: BatchStatementRequest[] = chunk.map((entry) => ({
      Statement: statementSqlFor(entry),
      Parameters: withTime(entry.parameters, now),
      ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
    }));
    let responses;
    try {
      ({ Responses: responses } = await config.client.send(new BatchExecuteStatementCommand({ Statements: requests })));
    } catch (error) {
      const translated = translateError(error, 'DynamoDB BatchExecuteStatement');
      for (const entry of chunk) entry.reject(translated);
      return;
    }
    chunk.forEach((entry, index) => {
      const response = responses?.[index];
      if (response === undefined) {
        entry.reject(new TransientError('DynamoDB BatchExecuteStatement returned fewer responses than statements', 'MissingResponse'));
        return;
      }
      if (response.Error === undefined) {
        entry.resolve({ outcome: 'declined' });
        return;
      }
      if (response.Error.Code === 'ConditionalCheckFailed') {
        try {
          entry.resolve(outcomeFromOldItem(config, entry.request, response.Error.Item));
        } catch (error) {
          entry.reject(error as Error);
        }
        return;
      }
      const code = response.Error.Code ?? 'UnknownError';
      entry.reject(new TransientError(`DynamoDB BatchExecuteStatement statement failed (${code}): ${response.Error.Message ?? ''}`, code));
    });
  };

  const statementSqlFor = (entry: Pending): string => {
    const keyNames = entry.keyId.split('\u0000')[0]!;
    let statement = statements.get(keyNames);
    if (statement === undefined) {
      statement = statementFor(keyNames.split(','));
      statements.set(keyNames, statement);
    }
    return statement;
  };

  // Parameters are stored with a placeholder for the time, filled in when the chunk is sent.
  const withTime = (parameters: AttributeValue[], now: string): AttributeValue[] =>
    declinedAtAttribute === false ? parameters : [parameters[0]!, { S: now }, ...parameters.slice(1)];

  return {
    decline(request, options) {
      const signal = options?.signal;
      return new Promise<DeclineOutcome>((resolve, reject) => {
        if (signal?.aborted) {
          reject(translateError(signal.reason ?? new Error('aborted'), 'DynamoDB BatchExecuteStatement'));
          return;
        }
        const key = buildKey(config, request);
        const keyNames = Object.keys(key);
        const keyId = `${keyNames.join(',')}\u0000${keyNames.map((name) => key[name]).join('\u0000')}`;
        const parameters: AttributeValue[] = [
          { S: config.to },
          ...keyNames.map((name) => ({ S: key[name]! })),
          { S: config.from },
        ];
        const entry: Pending = {
          request,
          keyId,
          parameters,
          signal,
          resolve,
          reject,
          onAbort: () => {
            const index = queue.indexOf(entry);
            if (index === -1) return;
            queue.splice(index, 1);
            reject(new TransientError('Decline aborted before it was sent', 'Aborted', { cause: signal?.reason }));
          },
        };
        signal?.addEventListener('abort', entry.onAbort, { once: true });
        queue.push(entry);
        schedule();
      });
    },
  };
}
