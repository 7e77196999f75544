import { createServer, request as httpRequest, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

/** What a rule does to a request it picks. */
export type Fault =
  | { readonly kind: 'throttle' }
  | { readonly kind: 'server-error' }
  | { readonly kind: 'delay'; readonly ms: number }
  | { readonly kind: 'drop' };

/** One fault rule: which requests, how often, what happens. */
export interface FaultRule {
  /**
   * Operation names the rule applies to (`ReceiveMessage`, `DeleteMessageBatch`, `UpdateItem`, ...), from the
   * request's `X-Amz-Target` header.
   * @defaultValue every operation
   */
  readonly operations?: readonly string[];
  /** Share of matching requests that get the fault, from 0 to 1. */
  readonly probability: number;
  /** The fault. */
  readonly fault: Fault;
}

/** A running fault proxy. */
export interface FaultProxy {
  /** `http://127.0.0.1:<port>`: give it to an SDK client as `endpoint`. */
  readonly endpoint: string;
  /** Faults injected so far, by operation and kind (`ReceiveMessage:throttle`). */
  readonly injected: Readonly<Record<string, number>>;
  /** Requests forwarded so far. */
  readonly forwarded: number;
  /** Replaces the rules (e.g. `[]` to stop injecting). */
  setRules(rules: readonly FaultRule[]): void;
  /** Stops the proxy and closes every connection. */
  stop(): Promise<void>;
}

/** Options of {@link startFaultProxy}. */
export interface FaultProxyOptions {
  /** The service to sit in front of, e.g. the SQS emulator's or DynamoDB Local's endpoint. */
  readonly target: string;
  /**
   * The faults to inject; the first rule that matches and fires wins.
   * @defaultValue none: a transparent proxy
   */
  readonly rules?: readonly FaultRule[];
  /**
   * A source of numbers in [0, 1), for reproducible runs.
   * @defaultValue `Math.random`
   */
  readonly random?: () => number;
}

/**
 * A loopback HTTP proxy in front of a local AWS service that injects faults per rule:
 * throttling errors and 500s in the service's own JSON error format (so the SDK sees what
 * it would see from AWS, retries included), slow responses, and dropped connections.
 *
 * @param options - the target endpoint and the rules.
 * @returns the running proxy.
 * @example
 * ```ts
 * import { startFaultProxy, createSqsClient } from '@batch-decline/testing';
 *
 * const proxy = await startFaultProxy({
 *   target: aws.sqsEndpoint,
 *   rules: [{ operations: ['ReceiveMessage', 'DeleteMessageBatch'], probability: 0.1, fault: { kind: 'server-error' } }],
 * });
 * const sqs = createSqsClient({ ...aws, sqsEndpoint: proxy.endpoint });
 * ```
 */
export async function startFaultProxy(options: FaultProxyOptions): Promise<FaultProxy> {
  const target = new URL(options.target);
  const random = options.random ?? Math.random;
  let rules = options.rules ?? [];
  const injected: Record<string, number> = {};
  let forwarded = 0;
  const sockets = new Set<Socket>();

  const forward = (req: IncomingMessage, res: ServerResponse, body: Buffer) => {
    forwarded += 1;
    const upstream = httpRequest(
      { host: target.hostname, port: target.port, method: req.method, path: req.url, headers: req.headers },
      (response) => {
        res.writeHead(response.statusCode ?? 502, response.headers);
        response.pipe(res);
      },
    );
    upstream.on('error', () => res.destroy());
    res.on('close', () => upstream.destroy());
    upstream.end(body);
  };

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const targetHeader = String(req.headers['x-amz-target'] ?? '');
      const operation = targetHeader.split('.').pop() || 'unknown';
      const rule = rules.find((candidate) => (!candidate.operations || candidate.operations.includes(operation)) && random() < candidate.probability);
      if (!rule) return forward(req, res, body);
      const key = `${operation}:${rule.fault.kind}`;
      injected[key] = (injected[key] ?? 0) + 1;
      const json = (status: number, type: string, message: string) => {
        res.writeHead(status, { 'content-type': 'application/x-amz-json-1.0', 'x-amzn-requestid': 'fault-proxy' });
        res.end(JSON.stringify({ __type: type, message }));
      };
      switch (rule.fault.kind) {
        case 'throttle':
          return json(400, 'ThrottlingException', 'Rate exceeded (injected)');
        case 'server-error':
          return json(500, 'InternalFailure', 'Internal failure (injected)');
        case 'drop':
          return req.socket.destroy();
        case 'delay':
          return void setTimeout(() => forward(req, res, body), rule.fault.ms);
      }
    });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    injected,
    get forwarded() {
      return forwarded;
    },
    setRules(next) {
      rules = next;
    },
    stop: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
