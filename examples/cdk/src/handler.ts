import { createApplicationRepository, createDeclineHandler } from '@batch-decline/core';
import { createSqsHandler } from '@batch-decline/lambda';

const repository = createApplicationRepository({ tableName: process.env.TABLE_NAME!, writeMode: process.env.WRITE_MODE === 'batched' ? 'batched' : 'single' });
export const handler = createSqsHandler(createDeclineHandler(repository));
