import { randomUUID } from 'node:crypto';
import type {} from '@batch-decline/testing/vitest-global-setup';
import { inject } from 'vitest';
import { createApplicationsTable, createDynamoDbClient, type LocalAwsEndpoints } from '@batch-decline/testing';

/** The endpoints the global setup started. */
export const endpoints = (): LocalAwsEndpoints => inject('localAws');

/** A name no other test uses. */
export const uniqueName = (prefix: string) => `${prefix}-${randomUUID().slice(0, 8)}`;

/** A fresh applications table and a client for it. */
export async function freshTable() {
  const client = createDynamoDbClient(endpoints());
  const tableName = uniqueName('applications');
  await createApplicationsTable(client, tableName);
  return { client, tableName };
}
