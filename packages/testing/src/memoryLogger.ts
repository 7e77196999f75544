/** One line kept by {@link createMemoryLogger}. */
export interface MemoryLogLine {
  readonly level: 'debug' | 'info' | 'warn' | 'error';
  readonly message: string;
  readonly extra: Record<string, unknown> | undefined;
}

/** What {@link createMemoryLogger} returns. */
export interface MemoryLogger {
  /** Every line logged so far, oldest first. */
  readonly lines: MemoryLogLine[];
  /** The logger to hand to the library. */
  readonly logger: {
    /** Keeps a debug line. */
    debug(message: string, extra?: Record<string, unknown>): void;
    /** Keeps an info line. */
    info(message: string, extra?: Record<string, unknown>): void;
    /** Keeps a warn line. */
    warn(message: string, extra?: Record<string, unknown>): void;
    /** Keeps an error line. */
    error(message: string, extra?: Record<string, unknown>): void;
  };
}

/**
 * A logger (the `debug/info/warn/error` shape the library accepts) that keeps every line,
 * to assert on what was logged.
 *
 * @returns the logger and its lines.
 * @example
 * ```ts
 * import { createMemoryLogger } from '@batch-decline/testing';
 *
 * const { logger, lines } = createMemoryLogger();
 * logger.warn('record failed', { messageId: 'm1' });
 * lines[0]?.message; // 'record failed'
 * ```
 */
export function createMemoryLogger(): MemoryLogger {
  const lines: MemoryLogLine[] = [];
  const at = (level: MemoryLogLine['level']) => (message: string, extra?: Record<string, unknown>) => void lines.push({ level, message, extra });
  return { lines, logger: { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') } };
}
