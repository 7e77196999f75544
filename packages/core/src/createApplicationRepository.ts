import { DynamoDBClient, UpdateItemCommand, type AttributeValue } from '@aws-sdk/client-dynamodb';
import { createBatchedWriter } from './createBatchedWriter.js';
import { describe } from './describe.js';
import { ApplicationNotFoundError } from './errors.js';
import type { DeclineRequest } from './parseDeclineRequest.js';
import { translateError } from './translateError.js';

/** What a decline did. A missing application rejects with `ApplicationNotFoundError` instead. */
export type DeclineOutcome =
  | { readonly outcome: 'declined' }
  | { readonly outcome: 'already-declined' }
  | { readonly outcome: 'not-pending'; readonly status: string | null };

/** Options of a single {@link ApplicationRepository.decline} call. */
export interface DeclineOptions {
  /** Aborts the write (or, in batched mode, withdraws it if it has not been sent yet). */
  readonly signal?: AbortSignal;
}

/** Declines applications in DynamoDB: one conditional write each, never a read first. */
export interface ApplicationRepository {
  /**
   * Moves one application from the `from` status to the `to` status.
   *
   * @param request - a validated request, from `parseDeclineRequest`.
   * @param options - an abort signal.
   * @returns `declined`, `already-declined`, or `not-pending` with the current status
   *   (the item is then left exactly as it was).
   * @throws ApplicationNotFoundError (permanent) when there is no such item.
   * @throws TransientError for throttling, network, 5xx and unknown errors.
   */
  decline(request: DeclineRequest, options?: DeclineOptions): Promise<DeclineOutcome>;
}

/** A DynamoDB key: attribute name to string value. */
export type ApplicationKey = Readonly<Record<string, string>>;

/** Options of {@link createApplicationRepository}. */
export interface ApplicationRepositoryOptions {
  /**
   * A `DynamoDBClient`; a `DynamoDBDocumentClient` works too.
   * @defaultValue `new DynamoDBClient({})`, configured from the environment
   */
  readonly client?: Pick<DynamoDBClient, 'send'>;
  /** The table holding the applications. */
  readonly tableName: string;
  /**
   * Builds the item's key from a request. Values must be strings.
   * @defaultValue `PK = SK = JOB#<jobId>#APPLICATION#<applicationId>`
   */
  readonly key?: (request: DeclineRequest) => ApplicationKey;
  /**
   * The attribute holding the status.
   * @defaultValue `'jobApplicationStatus'`
   */
  readonly statusAttribute?: string;
  /**
   * The only status that may be declined.
   * @defaultValue `'PENDING'`
   */
  readonly from?: string;
  /**
   * The status written.
   * @defaultValue `'DECLINED'`
   */
  readonly to?: string;
  /**
   * The attribute that gets the ISO-8601 time of the decline, or `false` for none.
   * @defaultValue `'declinedAt'`
   */
  readonly declinedAtAttribute?: string | false;
  /**
   * `'single'`: one `UpdateItem` per decline (IAM: `dynamodb:UpdateItem`).
   * `'batched'`: declines that arrive together are sent as PartiQL `BatchExecuteStatement`
   * calls, each statement with its own condition and outcome (IAM: `dynamodb:PartiQLUpdate`).
   * @defaultValue `'single'`
   */
  readonly writeMode?: 'single' | 'batched';
  /**
   * Batched mode: most statements in one `BatchExecuteStatement` call (1 to 25).
   * @defaultValue 25
   */
  readonly maxBatchSize?: number;
}

/** The defaults of {@link ApplicationRepositoryOptions}. */
export const applicationRepositoryDefaults = {
  statusAttribute: 'jobApplicationStatus',
  from: 'PENDING',
  to: 'DECLINED',
  declinedAtAttribute: 'declinedAt',
  writeMode: 'single',
  maxBatchSize: 25,
  /** `PK = SK = JOB#<jobId>#APPLICATION#<applicationId>`. */
  key: defaultApplicationKey,
} as const;

/**
 * The seed's key: `PK = SK = JOB#<jobId>#APPLICATION#<applicationId>`.
 *
 * @param request - a validated request.
 * @returns the key.
 * @example
 * ```ts
 * import { defaultApplicationKey } from '@batch-decline/core';
 *
 * defaultApplicationKey({ jobId: '1', applicationId: '2' }); // { PK: 'JOB#1#APPLICATION#2', SK: 'JOB#1#APPLICATION#2' }
 * ```
 */
export function defaultApplicationKey(request: DeclineRequest): ApplicationKey {
  const value = `JOB#${request.jobId}#APPLICATION#${request.applicationId}`;
  return { PK: value, SK: value };
}

/** The resolved configuration shared by both write modes. @internal */
export interface RepositoryConfig {
  readonly client: Pick<DynamoDBClient, 'send'>;
  readonly tableName: string;
  readonly key: (request: DeclineRequest) => ApplicationKey;
  readonly statusAttribute: string;
  readonly from: string;
  readonly to: string;
  readonly declinedAtAttribute: string | false;
  readonly maxBatchSize: number;
}

/**
 * Creates the DynamoDB repository that declines applications.
 *
 * @param options - table, client, key layout, statuses and write mode.
 * @returns the repository.
 * @throws TypeError when an option is not of the expected shape.
 * @example
 * ```ts
 * import { createApplicationRepository, parseDeclineRequest } from '@batch-decline/core';
 *
 * const repository = createApplicationRepository({ tableName: 'applications', writeMode: 'batched' });
 * const outcome = await repository.decline(parseDeclineRequest('{"jobId":"1","id":"2"}'));
 * ```
 */
export function createApplicationRepository(options: ApplicationRepositoryOptions): ApplicationRepository {
  const config = resolveConfig(options);
  const writeMode = options.writeMode ?? applicationRepositoryDefaults.writeMode;
  if (writeMode === 'batched') return createBatchedWriter(config);
  return {
    decline: (request, declineOptions) => declineWithUpdateItem(config, request, declineOptions?.signal),
  };
}

async function declineWithUpdateItem(
  config: RepositoryConfig,
  request: DeclineRequest,
  signal: AbortSignal | undefined,
): Promise<DeclineOutcome> {
  const key = buildKey(config, request);
  const [firstKeyName] = Object.keys(key);
  const names: Record<string, string> = { '#k': firstKeyName!, '#s': config.statusAttribute };
  const values: Record<string, AttributeValue> = { ':from': { S: config.from }, ':to': { S: config.to } };
  let update = 'SET #s = :to';
  if (config.declinedAtAttribute !== false) {
    names['#d'] = config.declinedAtAttribute;
    values[':now'] = { S: new Date().toISOString() };
    update += ', #d = :now';
  }
  try {
    await config.client.send(
      new UpdateItemCommand({
        TableName: config.tableName,
        Key: toAttributeValues(key),
        ConditionExpression: 'attribute_exists(#k) AND #s = :from',
        UpdateExpression: update,
        ExpressionAttributeNames: names,
        ExpressionAttributeValues: values,
        ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
      }),
      { abortSignal: signal },
    );
    return { outcome: 'declined' };
  } catch (error) {
    if ((error as { name?: unknown }).name === 'ConditionalCheckFailedException') {
      return outcomeFromOldItem(config, request, (error as { Item?: Record<string, AttributeValue> }).Item);
    }
    throw translateError(error, 'DynamoDB UpdateItem');
  }
}

/**
 * Tells the outcome of a failed condition apart from the item as it was.
 * @internal
 */
export function outcomeFromOldItem(
  config: RepositoryConfig,
  request: DeclineRequest,
  item: Record<string, AttributeValue> | undefined,
): DeclineOutcome {
  if (item === undefined) throw new ApplicationNotFoundError(request.jobId, request.applicationId, config.tableName);
  const status = item[config.statusAttribute]?.S ?? null;
  if (status === config.to) return { outcome: 'already-declined' };
  return { outcome: 'not-pending', status };
}

/** Builds and checks the key of a request. @internal */
export function buildKey(config: RepositoryConfig, request: DeclineRequest): ApplicationKey {
  const key = config.key(request);
  const entries = typeof key === 'object' && key !== null ? Object.entries(key) : [];
  if (entries.length === 0 || entries.length > 2 || entries.some(([, value]) => typeof value !== 'string' || value === '')) {
    throw new TypeError('createApplicationRepository: options.key must return one or two attributes with non-empty string values');
  }
  return key;
}

/** @internal */
export function toAttributeValues(key: ApplicationKey): Record<string, AttributeValue> {
  return Object.fromEntries(Object.entries(key).map(([name, value]) => [name, { S: value }]));
}

const ATTRIBUTE_NAME = /^[A-Za-z0-9_.-]{1,255}$/;

function resolveConfig(options: ApplicationRepositoryOptions): RepositoryConfig {
  if (typeof options !== 'object' || options === null) {
    throw new TypeError(`createApplicationRepository: expected an options object, got ${describe(options)}`);
  }
  const { tableName, client, key, maxBatchSize, writeMode } = options;
  if (typeof tableName !== 'string' || !/^[A-Za-z0-9_.-]{3,255}$/.test(tableName)) {
    throw new TypeError(
      `createApplicationRepository: expected options.tableName to be a DynamoDB table name (3-255 of A-Z a-z 0-9 _ . -), got ${describe(tableName)}`,
    );
  }
  if (client !== undefined && typeof (client as { send?: unknown })?.send !== 'function') {
    throw new TypeError(`createApplicationRepository: expected options.client to be a DynamoDBClient, got ${describe(client)}`);
  }
  if (key !== undefined && typeof key !== 'function') {
    throw new TypeError(`createApplicationRepository: expected options.key to be a function, got ${describe(key)}`);
  }
  if (writeMode !== undefined && writeMode !== 'single' && writeMode !== 'batched') {
    throw new TypeError(`createApplicationRepository: expected options.writeMode to be 'single' or 'batched', got ${describe(writeMode)}`);
  }
  if (maxBatchSize !== undefined && !(Number.isInteger(maxBatchSize) && maxBatchSize >= 1 && maxBatchSize <= 25)) {
    throw new TypeError(`createApplicationRepository: expected options.maxBatchSize to be an integer from 1 to 25, got ${describe(maxBatchSize)}`);
  }
  const d = applicationRepositoryDefaults;
  const config: RepositoryConfig = {
    client: client ?? new DynamoDBClient({}),
    tableName,
    key: key ?? d.key,
    statusAttribute: options.statusAttribute ?? d.statusAttribute,
    from: options.from ?? d.from,
    to: options.to ?? d.to,
    declinedAtAttribute: options.declinedAtAttribute ?? d.declinedAtAttribute,
    maxBatchSize: maxBatchSize ?? d.maxBatchSize,
  };
  for (const name of ['statusAttribute', 'declinedAtAttribute'] as const) {
    const value = config[name];
    if (value !== false && (typeof value !== 'string' || !ATTRIBUTE_NAME.test(value))) {
      throw new TypeError(`createApplicationRepository: expected options.${name} to be an attribute name (A-Z a-z 0-9 _ . -), got ${describe(value)}`);
    }
  }
  for (const name of ['from', 'to'] as const) {
    if (typeof config[name] !== 'string' || config[name] === '') {
      throw new TypeError(`createApplicationRepository: expected options.${name} to be a non-empty string, got ${describe(config[name])}`);
    }
  }
  if (config.from === config.to) {
    throw new TypeError('createApplicationRepository: options.from and options.to must differ');
  }
  return config;
}
