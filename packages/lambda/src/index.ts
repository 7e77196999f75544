export { createSqsHandler, sqsHandlerDefaults } from './createSqsHandler.js';
export type { SqsHandlerOptions, SqsHandlerReport } from './createSqsHandler.js';
export { toBatchRecords } from './toBatchRecords.js';
export { LambdaAdapterError, InvalidEventError, FullBatchFailureError } from './errors.js';
export type { LambdaContextLike, SqsBatchResponse, SqsEvent, SqsEventRecord, SqsMessageAttribute } from './types.js';
