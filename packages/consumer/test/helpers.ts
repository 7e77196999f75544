import type { SqsConsumer } from '../src/SqsConsumer.js';

/** Resolves once `predicate` holds (checked every 20 ms), or rejects after `timeoutMs`. */
export async function waitFor(predicate: () => boolean | Promise<boolean>, timeoutMs = 20_000, what = 'condition'): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!(await predicate())) {
    if (Date.now() > until) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** Waits until the consumer has settled `count` messages for good (succeeded or dead-lettered). */
export function settledCount(consumer: SqsConsumer<unknown>): number {
  return consumer.status.succeeded + consumer.status.deadLettered;
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
