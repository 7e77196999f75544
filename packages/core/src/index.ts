export { processBatch, defaultClassify, processBatchDefaults } from './processBatch.js';
export type { ProcessBatchOptions } from './processBatch.js';
export type {
  BatchRecord,
  BatchReport,
  FailedResult,
  FailureKind,
  RecordHandler,
  RecordHandlerContext,
  RecordResult,
  SucceededResult,
} from './types.js';
export { parseDeclineRequest, validateId, ID_PATTERN, MAX_BODY_LENGTH, MAX_ID_LENGTH } from './parseDeclineRequest.js';
export type { DeclineRequest } from './parseDeclineRequest.js';
export {
  createApplicationRepository,
  defaultApplicationKey,
  applicationRepositoryDefaults,
} from './createApplicationRepository.js';
export type {
  ApplicationKey,
  ApplicationRepository,
  ApplicationRepositoryOptions,
  DeclineOptions,
  DeclineOutcome,
} from './createApplicationRepository.js';
export { createDeclineHandler } from './createDeclineHandler.js';
export {
  ApplicationNotFoundError,
  BatchDeclineError,
  InvalidMessageError,
  NonErrorThrownError,
  NotAttemptedError,
  PermanentError,
  TransientError,
} from './errors.js';
export type { InvalidMessageField, NotAttemptedReason } from './errors.js';
export { createJsonLogger, parseLogLevel, silentLogger } from './logger.js';
export type { Logger, LogLevel } from './logger.js';
export { forwardToDeadLetterQueue, DEAD_LETTER_ATTRIBUTES } from './forwardToDeadLetterQueue.js';
export type { DeadLetterResult } from './forwardToDeadLetterQueue.js';
export { sendDeclineRequests } from './sendDeclineRequests.js';
export type { DeclineRequestInput, SendDeclineRequestsOptions, SendDeclineRequestsResult } from './sendDeclineRequests.js';
