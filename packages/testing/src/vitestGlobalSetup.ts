import type {} from 'vitest';
import type { LocalAwsEndpoints } from './localClients.js';
import { startLocalAws, type LocalAws } from './startLocalAws.js';

declare module 'vitest' {
  export interface ProvidedContext {
    localAws: LocalAwsEndpoints;
  }
}

/** The part of vitest's global setup context this setup uses. */
interface GlobalSetupContext {
  provide(key: 'localAws', value: LocalAwsEndpoints): void;
}

let aws: LocalAws | undefined;

/**
 * Vitest global setup: starts one DynamoDB Local and one SQS emulator for the whole run and
 * provides their endpoints as `inject('localAws')`. Tests create their own tables and
 * queues with unique names.
 *
 * @param context - vitest's global setup context.
 * @returns the teardown, which stops both services.
 * @example
 * ```ts
 * // vitest.config.ts
 * export default defineConfig({ test: { globalSetup: ['@batch-decline/testing/vitest-global-setup'] } });
 * // a test
 * const endpoints = inject('localAws');
 * ```
 */
export async function setup(context: GlobalSetupContext): Promise<() => Promise<void>> {
  aws = await startLocalAws();
  context.provide('localAws', { dynamodbEndpoint: aws.dynamodbEndpoint, sqsEndpoint: aws.sqsEndpoint, region: aws.region });
  return teardown;
}

/**
 * Stops what {@link setup} started. Safe to call twice.
 *
 * @returns when both services are stopped.
 * @example
 * ```ts
 * import { teardown } from '@batch-decline/testing/vitest-global-setup';
 * await teardown();
 * ```
 */
export async function teardown(): Promise<void> {
  const running = aws;
  aws = undefined;
  await running?.stop();
}
