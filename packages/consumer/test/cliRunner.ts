import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** The built CLI. */
export const cli = fileURLToPath(new URL('../dist/cli.js', import.meta.url));

/** A running CLI process and the JSON lines it logged. */
export interface CliRun {
  readonly child: ChildProcess;
  readonly lines: Record<string, unknown>[];
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  readonly stderr: () => string;
}

/** Starts `batch-decline-consumer` as a child process with exactly this environment (plus PATH). */
export function runCli(env: Record<string, string>): CliRun {
  const child = spawn(process.execPath, [cli], {
    env: { PATH: process.env.PATH ?? '', AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: Record<string, unknown>[] = [];
  let stderr = '';
  let buffer = '';
  child.stdout!.on('data', (chunk: Buffer) => {
    buffer += chunk.toString();
    const parts = buffer.split('\n');
    buffer = parts.pop()!;
    for (const part of parts) if (part.trim()) lines.push(JSON.parse(part) as Record<string, unknown>);
  });
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return {
    child,
    lines,
    stderr: () => stderr,
    exited: new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal }))),
  };
}

/** The `message processed` lines (LOG_LEVEL=debug) of a run. */
export const processedLines = (run: CliRun) => run.lines.filter((line) => line.message === 'message processed');
