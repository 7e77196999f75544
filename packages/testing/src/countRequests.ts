/** Requests an SDK client has sent, counted per HTTP attempt (retries count). */
export interface RequestCount {
  /** Every request. */
  readonly total: number;
  /** Requests by command name, e.g. `{ UpdateItemCommand: 3 }`. */
  readonly byCommand: Readonly<Record<string, number>>;
  /** Sets every count back to zero. */
  reset(): void;
}

interface MiddlewareClient {
  middlewareStack: {
    add(
      middleware: (next: (args: unknown) => Promise<unknown>, context: { commandName?: string }) => (args: unknown) => Promise<unknown>,
      options: { step: 'deserialize'; name: string; override?: boolean },
    ): void;
  };
}

/**
 * Adds SDK middleware to a client that counts the requests it sends, by command. Counts
 * each HTTP attempt, so the SDK's own retries are included.
 *
 * @param client - any AWS SDK v3 client (`DynamoDBClient`, `SQSClient`, ...).
 * @returns live counts.
 * @example
 * ```ts
 * import { countRequests } from '@batch-decline/testing';
 *
 * const counted = countRequests(dynamodb);
 * await repository.decline(request);
 * console.log(counted.total, counted.byCommand);
 * ```
 */
export function countRequests(client: object): RequestCount {
  const byCommand: Record<string, number> = {};
  let total = 0;
  (client as MiddlewareClient).middlewareStack.add(
    (next, context) => async (args) => {
      total += 1;
      const name = context.commandName ?? 'unknown';
      byCommand[name] = (byCommand[name] ?? 0) + 1;
      return next(args);
    },
    { step: 'deserialize', name: 'batchDeclineRequestCounter', override: true },
  );
  return {
    get total() {
      return total;
    },
    byCommand,
    reset() {
      total = 0;
      for (const name of Object.keys(byCommand)) delete byCommand[name];
    },
  };
}
