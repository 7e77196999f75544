import { LocalServiceStartError } from './errors.js';

/** Options of {@link startSqsEmulator}. */
export interface SqsEmulatorOptions {
  /**
   * Port on 127.0.0.1; `0` picks a free one.
   * @defaultValue 0
   */
  readonly port?: number;
  /**
   * Region of the queues' ARNs and URLs when a request carries none.
   * @defaultValue `'us-east-1'`
   */
  readonly region?: string;
}

/** A running SQS emulator (fauxqs, in this process). */
export interface SqsEmulator {
  /** `http://127.0.0.1:<port>`: give it to `SQSClient` as `endpoint`. */
  readonly endpoint: string;
  readonly port: number;
  /** Stops the emulator; every queue and message is gone. Safe to call twice. */
  stop(): Promise<void>;
}

/**
 * Starts the fauxqs SQS emulator inside this process on a loopback port. It speaks the
 * SQS wire protocol: long polling, visibility timeouts, redrive to a dead-letter queue, FIFO.
 *
 * Its queue URLs name the host `sqs.<region>.localhost`; build SQS clients with an explicit
 * `endpoint` (as `createSqsClient` does) so requests go to the emulator anyway.
 *
 * @param options - port and region.
 * @returns the running emulator.
 * @throws LocalServiceStartError when it cannot listen.
 * @example
 * ```ts
 * import { startSqsEmulator } from '@batch-decline/testing';
 *
 * const sqs = await startSqsEmulator();
 * console.log(sqs.endpoint);
 * await sqs.stop();
 * ```
 */
export async function startSqsEmulator(options: SqsEmulatorOptions = {}): Promise<SqsEmulator> {
  let server: { port: number; stop(): Promise<void> };
  try {
    const { startFauxqs } = await import('fauxqs');
    server = await startFauxqs({ port: options.port ?? 0, logger: false, defaultRegion: options.region ?? 'us-east-1' });
  } catch (error) {
    throw new LocalServiceStartError('sqs', (error as Error).message, '', { cause: error });
  }
  let stopping: Promise<void> | undefined;
  return {
    endpoint: `http://127.0.0.1:${server.port}`,
    port: server.port,
    stop: () => (stopping ??= server.stop()),
  };
}
