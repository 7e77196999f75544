import { mkdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { startLocalAws } from '@batch-decline/testing';
import { rawWrites } from './ceiling.js';
import { CONTAINER_CONTENDERS, drainWith, type ContainerRun } from './container.js';
import { engineOverhead, LAMBDA_CONTENDERS, lambdaLatencies } from './lambda.js';
import { memoryGrowth } from './memory.js';
import { alternate, fixed, median, table } from './stats.js';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
const quick = process.argv.includes('--quick');
const size = quick
  ? { messages: 400, runs: 1, warmup: 500, invocations: 4, engineBatches: 50, memoryWarmup: 300, memory: 1000 }
  : { messages: 20_000, runs: 3, warmup: 5000, invocations: 30, engineBatches: 2000, memoryWarmup: 5000, memory: 50_000 };
const say = (line: string) => process.stdout.write(`${line}\n`);

async function main() {
  say(`batch-decline benchmarks (${quick ? 'quick smoke run' : 'full run'}) on DynamoDB Local + the in-process SQS emulator`);
  const aws = await startLocalAws();
  try {
    // DynamoDB Local's JIT speeds it up over the first thousands of requests: warm it first.
    await rawWrites(aws, 'UpdateItem', size.warmup, 50);
    await rawWrites(aws, 'BatchExecuteStatement', size.warmup, 50);

    say(`1. container throughput: draining ${size.messages} messages, ${size.runs} run(s) each, alternating order`);
    const runs = new Map<string, ContainerRun[]>();
    const samples = await alternate(CONTAINER_CONTENDERS, size.runs, async (contender) => {
      const run = await drainWith(aws, contender, size.messages);
      runs.set(contender, [...(runs.get(contender) ?? []), run]);
      return run.perSecond;
    });
    const throughput = Object.fromEntries(CONTAINER_CONTENDERS.map((name) => [name, median(samples[name])])) as Record<(typeof CONTAINER_CONTENDERS)[number], number>;
    const bestSqsConsumer = Math.max(throughput['sqs-consumer handleMessage'], throughput['sqs-consumer handleMessageBatch']);
    const requests = Object.fromEntries(
      CONTAINER_CONTENDERS.map((name) => [name, { sqs: median(runs.get(name)!.map((r) => r.sqsPerMessage)), dynamodb: median(runs.get(name)!.map((r) => r.dynamodbPerMessage)) }]),
    );

    say('2. ceiling: raw DynamoDB Local writes, no SQS, same concurrency (50 in flight)');
    const ceilingSamples = await alternate(['UpdateItem', 'BatchExecuteStatement'] as const, size.runs, (kind) => rawWrites(aws, kind, size.messages, 50));
    const ceiling = { UpdateItem: median(ceilingSamples.UpdateItem), BatchExecuteStatement: median(ceilingSamples.BatchExecuteStatement) };

    say(`3. Lambda invocation latency, ${size.invocations} invocations per batch size and contender`);
    const latency: Record<number, Record<string, number>> = {};
    for (const batchSize of [5, 10, 100]) {
      const result = await lambdaLatencies(aws, batchSize, size.invocations);
      latency[batchSize] = Object.fromEntries(LAMBDA_CONTENDERS.map((name) => [name, median(result[name])]));
    }

    say('4. engine overhead: no-op handler, batches of 100');
    const engine = await engineOverhead(100, size.engineBatches);

    say(`6. memory: resident set before and after ${size.memory} more messages`);
    const memory = await memoryGrowth(aws, size.memoryWarmup, size.memory);

    const ours = throughput['batch-decline batched'];
    const results = {
      quick,
      date: new Date().toISOString(),
      node: process.version,
      messages: size.messages,
      runs: size.runs,
      throughput,
      requestsPerMessage: requests,
      ceiling,
      latencyMs: latency,
      engineRecordsPerSecond: engine,
      memory: { ...memory, growthMB: (memory.after - memory.before) / 2 ** 20 },
      ratios: {
        batchedVsBestSqsConsumer: ours / bestSqsConsumer,
        singleVsBestSqsConsumer: throughput['batch-decline single'] / bestSqsConsumer,
        batchedVsSingle: ours / throughput['batch-decline single'],
        singleVsUpdateItemCeiling: throughput['batch-decline single'] / ceiling.UpdateItem,
        batchedVsBatchExecuteStatementCeiling: ours / ceiling.BatchExecuteStatement,
        lambdaLatencyBatch10: latency[10]!['batch-decline (batched)']! / latency[10]!['Powertools BatchProcessor (seed logic)']!,
        engineVsPowertools: engine.processBatch / engine.powertools,
      },
    };

    say(table('Container throughput (declines/s, median)', ['contender', 'declines/s', 'SQS req/msg', 'DynamoDB req/msg'], CONTAINER_CONTENDERS.map((name) => [name, fixed(throughput[name]), fixed(requests[name]!.sqs, 3), fixed(requests[name]!.dynamodb, 3)])));
    say(table('Ceiling (raw writes/s, median)', ['writes', 'per second', 'consumer share'], [
      ['UpdateItem x50', fixed(ceiling.UpdateItem), `${fixed(results.ratios.singleVsUpdateItemCeiling * 100)}% (single)`],
      ['BatchExecuteStatement 10 x5', fixed(ceiling.BatchExecuteStatement), `${fixed(results.ratios.batchedVsBatchExecuteStatementCeiling * 100)}% (batched)`],
    ]));
    say(table('Lambda invocation latency (ms, median)', ['batch size', ...LAMBDA_CONTENDERS, 'ratio'], [5, 10, 100].map((n) => [String(n), ...LAMBDA_CONTENDERS.map((name) => fixed(latency[n]![name]!, 1)), fixed(latency[n]![LAMBDA_CONTENDERS[0]]! / latency[n]![LAMBDA_CONTENDERS[1]]!, 2)])));
    say(table('Engine overhead (records/s, no-op handler)', ['engine', 'records/s'], [['processBatch', fixed(engine.processBatch)], ['Powertools processPartialResponse', fixed(engine.powertools)]]));
    say(table('Memory (resident set)', ['before', 'after', 'growth'], [[`${fixed(memory.before / 2 ** 20, 1)} MB`, `${fixed(memory.after / 2 ** 20, 1)} MB`, `${fixed(results.memory.growthMB, 1)} MB over ${memory.messages} messages`]]));
    say(table('Ratios', ['what', 'value'], Object.entries(results.ratios).map(([name, value]) => [name, fixed(value, 2)])));

    const dir = fileURLToPath(new URL('../results/', import.meta.url));
    mkdirSync(dir, { recursive: true });
    const file = `${dir}${quick ? 'quick' : 'latest'}.json`;
    writeFileSync(file, `${JSON.stringify(results, null, 2)}\n`);
    say(`\nwritten to ${file}`);
  } finally {
    await aws.stop();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`bench failed: ${(error as Error)?.stack ?? String(error)}\n`);
  process.exitCode = 1;
});
