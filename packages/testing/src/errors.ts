/**
 * Base class of the errors thrown by `@batch-decline/testing`.
 *
 * @example
 * ```ts
 * import { LocalAwsError, startLocalAws } from '@batch-decline/testing';
 *
 * try { await startLocalAws(); } catch (error) {
 *   if (error instanceof LocalAwsError) console.error(error.message);
 * }
 * ```
 */
export class LocalAwsError extends Error {
  override readonly name: string = 'LocalAwsError';
}

/**
 * DynamoDB Local needs a Java 17+ runtime and none was found on the `PATH` (or at `JAVA_HOME`).
 *
 * @example
 * ```ts
 * import { JavaNotFoundError } from '@batch-decline/testing';
 *
 * if (error instanceof JavaNotFoundError) console.error('install a JRE: apt-get install openjdk-17-jre-headless');
 * ```
 */
export class JavaNotFoundError extends LocalAwsError {
  override readonly name = 'JavaNotFoundError' as const;
  /** The command that was tried. */
  readonly command: string;

  /**
   * Creates the error.
   *
   * @param command - the java command that could not be run.
   * @param options - `cause`: the spawn error.
   */
  constructor(command: string, options?: { cause?: unknown }) {
    super(
      `DynamoDB Local needs a Java 17+ runtime, but "${command} -version" could not run. ` +
        'Install one (Debian/Ubuntu: apt-get install -y openjdk-17-jre-headless) or set JAVA_HOME.',
      options,
    );
    this.command = command;
  }
}

/**
 * A local service did not start or did not answer in time.
 *
 * @example
 * ```ts
 * import { LocalServiceStartError } from '@batch-decline/testing';
 *
 * if (error instanceof LocalServiceStartError) console.error(error.service, error.output);
 * ```
 */
export class LocalServiceStartError extends LocalAwsError {
  override readonly name = 'LocalServiceStartError' as const;
  /** Which service failed. */
  readonly service: 'dynamodb' | 'sqs';
  /** The last lines the service printed, if any. */
  readonly output: string;

  /**
   * Creates the error.
   *
   * @param service - which service failed.
   * @param message - what happened.
   * @param output - what the service printed.
   * @param options - `cause`: the underlying error.
   */
  constructor(service: 'dynamodb' | 'sqs', message: string, output = '', options?: { cause?: unknown }) {
    super(`${service === 'dynamodb' ? 'DynamoDB Local' : 'The SQS emulator'} did not start: ${message}${output ? `\n${output}` : ''}`, options);
    this.service = service;
    this.output = output;
  }
}
