import type { ApplicationRepository, DeclineOutcome } from './createApplicationRepository.js';
import { describe } from './describe.js';
import { parseDeclineRequest } from './parseDeclineRequest.js';
import type { RecordHandler } from './types.js';

/**
 * The record handler of this library's use case: parse the body, decline the application,
 * return the outcome. Invalid bodies and missing applications throw permanent errors;
 * everything else the repository throws is transient.
 *
 * @param repository - from `createApplicationRepository`.
 * @returns a handler for `processBatch` and the adapters.
 * @throws TypeError when `repository` has no `decline` function.
 * @example
 * ```ts
 * import { createApplicationRepository, createDeclineHandler, processBatch } from '@batch-decline/core';
 *
 * const handler = createDeclineHandler(createApplicationRepository({ tableName: 'applications' }));
 * const report = await processBatch([{ id: 'm1', body: '{"jobId":"1","id":"2"}' }], handler);
 * ```
 */
export function createDeclineHandler(repository: ApplicationRepository): RecordHandler<DeclineOutcome> {
  if (typeof (repository as Partial<ApplicationRepository> | null)?.decline !== 'function') {
    throw new TypeError(`createDeclineHandler: expected a repository with a decline function, got ${describe(repository)}`);
  }
  return (record, { signal }) => repository.decline(parseDeclineRequest(record.body), { signal });
}
