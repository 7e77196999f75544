import { parseLogLevel, type LogLevel } from '@batch-decline/core';

/**
 * A configuration variable of the CLI is missing or wrong.
 *
 * @example
 * ```ts
 * import { ConfigError, readCliConfig } from '@batch-decline/consumer';
 *
 * try { readCliConfig(process.env); } catch (error) {
 *   if (error instanceof ConfigError) console.error(error.variable, error.message);
 * }
 * ```
 */
export class ConfigError extends Error {
  override readonly name = 'ConfigError' as const;
  /** The environment variable at fault. */
  readonly variable: string;

  /**
   * Creates the error.
   *
   * @param variable - the environment variable at fault.
   * @param problem - what is wrong with it.
   */
  constructor(variable: string, problem: string) {
    super(`${variable} ${problem}`);
    this.variable = variable;
  }
}

/** The CLI's configuration, read from the environment. */
export interface CliConfig {
  readonly queueUrl: string;
  readonly tableName: string;
  readonly region: string;
  readonly writeMode: 'single' | 'batched';
  readonly maxInFlight: number;
  readonly deadLetterQueueUrl: string | undefined;
  readonly logLevel: LogLevel;
  readonly shutdownTimeoutMs: number;
  /** True when an `AWS_ENDPOINT_URL*` variable points SQS somewhere else (local emulators). */
  readonly customSqsEndpoint: boolean;
}

/** The variables the CLI reads, with what each means (for `--help`). */
export const CLI_VARIABLES = {
  QUEUE_URL: 'the SQS queue to consume (required)',
  TABLE_NAME: 'the DynamoDB applications table (required)',
  AWS_REGION: 'the AWS region (required unless AWS_DEFAULT_REGION is set)',
  WRITE_MODE: "'single' (UpdateItem per message) or 'batched' (PartiQL BatchExecuteStatement); default single",
  MAX_IN_FLIGHT: 'most messages held at once; default 50',
  DEAD_LETTER_QUEUE_URL: "where permanent failures go; default: the queue's RedrivePolicy target",
  LOG_LEVEL: 'debug, info, warn, error or silent; default info',
  SHUTDOWN_TIMEOUT_MS: 'how long running messages may finish after SIGTERM; default 25000',
  AWS_ENDPOINT_URL_SQS: 'another SQS endpoint (local emulator); also AWS_ENDPOINT_URL',
  AWS_ENDPOINT_URL_DYNAMODB: 'another DynamoDB endpoint (DynamoDB Local); also AWS_ENDPOINT_URL',
} as const;

/**
 * Reads and validates the CLI's environment variables.
 *
 * @param env - usually `process.env`.
 * @returns the configuration.
 * @throws ConfigError naming the first variable that is missing or wrong.
 * @example
 * ```ts
 * import { readCliConfig } from '@batch-decline/consumer';
 *
 * const config = readCliConfig({ QUEUE_URL: 'https://sqs.eu-west-1.amazonaws.com/1/q', TABLE_NAME: 'apps', AWS_REGION: 'eu-west-1' });
 * ```
 */
export function readCliConfig(env: Readonly<Record<string, string | undefined>>): CliConfig {
  const value = (name: string) => {
    const raw = env[name]?.trim();
    return raw === '' ? undefined : raw;
  };
  const queueUrl = value('QUEUE_URL');
  if (!queueUrl) throw new ConfigError('QUEUE_URL', 'is required: the URL of the SQS queue to consume');
  if (!/^https?:\/\/\S+$/.test(queueUrl)) throw new ConfigError('QUEUE_URL', 'must be a queue URL (https://sqs.<region>.amazonaws.com/<account>/<name>)');
  const tableName = value('TABLE_NAME');
  if (!tableName) throw new ConfigError('TABLE_NAME', 'is required: the DynamoDB applications table');
  if (!/^[A-Za-z0-9_.-]{3,255}$/.test(tableName)) throw new ConfigError('TABLE_NAME', 'must be a DynamoDB table name (3-255 of A-Z a-z 0-9 _ . -)');
  const region = value('AWS_REGION') ?? value('AWS_DEFAULT_REGION');
  if (!region) throw new ConfigError('AWS_REGION', 'is required (or AWS_DEFAULT_REGION)');
  const writeMode = value('WRITE_MODE') ?? 'single';
  if (writeMode !== 'single' && writeMode !== 'batched') throw new ConfigError('WRITE_MODE', `must be 'single' or 'batched', got '${writeMode.slice(0, 20)}'`);
  const integer = (name: string, fallback: number, min: number, max: number) => {
    const raw = value(name);
    if (raw === undefined) return fallback;
    const parsed = Number(raw);
    if (!/^\d+$/.test(raw) || parsed < min || parsed > max) throw new ConfigError(name, `must be a whole number from ${min} to ${max}, got '${raw.slice(0, 20)}'`);
    return parsed;
  };
  const deadLetterQueueUrl = value('DEAD_LETTER_QUEUE_URL');
  if (deadLetterQueueUrl !== undefined && !/^https?:\/\/\S+$/.test(deadLetterQueueUrl)) throw new ConfigError('DEAD_LETTER_QUEUE_URL', 'must be a queue URL');
  const logLevelRaw = value('LOG_LEVEL');
  const logLevel = logLevelRaw === undefined ? 'info' : parseLogLevel(logLevelRaw);
  if (!logLevel) throw new ConfigError('LOG_LEVEL', `must be debug, info, warn, error or silent, got '${logLevelRaw!.slice(0, 20)}'`);
  return {
    queueUrl,
    tableName,
    region,
    writeMode,
    maxInFlight: integer('MAX_IN_FLIGHT', 50, 1, 10_000),
    deadLetterQueueUrl,
    logLevel,
    shutdownTimeoutMs: integer('SHUTDOWN_TIMEOUT_MS', 25_000, 0, 3_600_000),
    customSqsEndpoint: value('AWS_ENDPOINT_URL_SQS') !== undefined || value('AWS_ENDPOINT_URL') !== undefined,
  };
}
