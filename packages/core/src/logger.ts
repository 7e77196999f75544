/**
 * What the library logs through: Powertools' `Logger`, pino, `console`, or anything with
 * these four methods. The library never passes message bodies unless told to.
 */
export interface Logger {
  /** Detail for debugging (per-message outcomes). */
  debug(message: string, extra?: Record<string, unknown>): void;
  /** Normal operation (batch summaries, start and stop). */
  info(message: string, extra?: Record<string, unknown>): void;
  /** A message failed, or a configuration needs attention. */
  warn(message: string, extra?: Record<string, unknown>): void;
  /** The library could not do something it should (an SDK call failed for good). */
  error(message: string, extra?: Record<string, unknown>): void;
}

/** Log levels, least to most severe, and `silent`. */
export type LogLevel = 'debug' | 'info' | 'warn' | 'error' | 'silent';

const LEVELS: readonly LogLevel[] = ['debug', 'info', 'warn', 'error', 'silent'];

/**
 * Checks a log level name (case-insensitive).
 *
 * @param value - e.g. the `LOG_LEVEL` environment variable.
 * @returns the level, or `undefined` when it is not one.
 * @example
 * ```ts
 * import { parseLogLevel } from '@batch-decline/core';
 *
 * parseLogLevel('WARN'); // 'warn'
 * ```
 */
export function parseLogLevel(value: string | undefined): LogLevel | undefined {
  const lower = value?.trim().toLowerCase();
  return LEVELS.find((level) => level === lower);
}

/**
 * A logger that writes one JSON object per line: `{"level","time","message",...extra}`.
 *
 * @param options - `level` (default `'info'`), `service` (added to every line), `write`
 *   (default: `process.stdout` for debug/info, `process.stderr` for warn/error).
 * @returns the logger.
 * @example
 * ```ts
 * import { createJsonLogger } from '@batch-decline/core';
 *
 * const logger = createJsonLogger({ level: 'warn', service: 'declines' });
 * logger.warn('record failed', { messageId: 'm1' });
 * ```
 */
export function createJsonLogger(
  options: { level?: LogLevel; service?: string; write?: (line: string, level: LogLevel) => void } = {},
): Logger {
  const threshold = LEVELS.indexOf(options.level ?? 'info');
  const write =
    options.write ??
    ((line: string, level: LogLevel) => (level === 'warn' || level === 'error' ? process.stderr : process.stdout).write(`${line}\n`));
  const log = (level: LogLevel) => (message: string, extra?: Record<string, unknown>) => {
    if (LEVELS.indexOf(level) < threshold) return;
    const entry = { level, time: new Date().toISOString(), ...(options.service ? { service: options.service } : {}), message, ...extra };
    write(JSON.stringify(entry, errorReplacer), level);
  };
  return { debug: log('debug'), info: log('info'), warn: log('warn'), error: log('error') };
}

/** A logger that drops everything. */
export const silentLogger: Logger = { debug() {}, info() {}, warn() {}, error() {} };

function errorReplacer(_key: string, value: unknown): unknown {
  if (value instanceof Error) return { name: value.name, message: value.message };
  return value;
}
