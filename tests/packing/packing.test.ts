import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// Packs every published package the way `pnpm publish` would, installs the tarballs into a
// fresh project outside the workspace, and uses them from ESM and from CommonJS: this catches
// what workspace links hide (missing files, wrong exports, undeclared dependencies).
const root = fileURLToPath(new URL('../..', import.meta.url));
const packages = ['core', 'lambda', 'consumer', 'testing'];
let project: string;

const run = (command: string, args: string[], cwd: string) => {
  const result = spawnSync(command, args, { cwd, encoding: 'utf8', env: { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' } });
  if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} failed (${result.status}):\n${result.stdout}\n${result.stderr}`);
  return result.stdout;
};

beforeAll(() => {
  project = mkdtempSync(join(tmpdir(), 'batch-decline-pack-'));
  const tarballs = packages.map((pkg) => {
    const dir = join(root, 'packages', pkg);
    execFileSync('pnpm', ['pack', '--pack-destination', project], { cwd: dir, stdio: 'ignore' });
    return readdirSync(project).find((name) => name.startsWith(`batch-decline-${pkg}-`) && name.endsWith('.tgz'))!;
  });
  writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'pack-check', private: true, version: '0.0.0' }));
  run('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error', ...tarballs.map((t) => `./${t}`), '@aws-sdk/client-dynamodb@3', '@aws-sdk/client-sqs@3'], project);
}, 300_000);

afterAll(() => {
  if (project) rmSync(project, { recursive: true, force: true });
});

describe('the packed packages, installed from their tarballs', () => {
  it('load from CommonJS', () => {
    writeFileSync(
      join(project, 'check.cjs'),
      `
const core = require('@batch-decline/core');
const lambda = require('@batch-decline/lambda');
const consumer = require('@batch-decline/consumer');
const testing = require('@batch-decline/testing');
const kinds = [core.processBatch, core.createApplicationRepository, core.parseDeclineRequest, lambda.createSqsHandler, consumer.createSqsConsumer, testing.startLocalAws].map((f) => typeof f);
if (kinds.some((k) => k !== 'function')) throw new Error('missing export: ' + kinds);
const request = core.parseDeclineRequest('{"jobId":1,"id":"a"}');
if (request.applicationId !== 'a') throw new Error('parse');
console.log('cjs ok');
`,
    );
    expect(run(process.execPath, ['check.cjs'], project)).toContain('cjs ok');
  });

  it('decline through the Lambda handler against the local stack, from ESM', () => {
    writeFileSync(
      join(project, 'check.mjs'),
      `
import { createApplicationRepository, createDeclineHandler, processBatch } from '@batch-decline/core';
import { createSqsHandler } from '@batch-decline/lambda';
import { createSqsConsumer } from '@batch-decline/consumer';
import {
  startLocalAws, createDynamoDbClient, createSqsClient, createApplicationsTable, createQueueWithDeadLetterQueue,
  seedApplications, sendMessages, runEventSourceMapping, readApplications, applicationKey,
} from '@batch-decline/testing';

const aws = await startLocalAws();
try {
  const dynamodb = createDynamoDbClient(aws);
  const sqs = createSqsClient(aws);
  await createApplicationsTable(dynamodb, 'applications');
  const { queueUrl } = await createQueueWithDeadLetterQueue(sqs, { name: 'declines', visibilityTimeout: 1, maxReceiveCount: 2 });
  await seedApplications(dynamodb, 'applications', [{ jobId: 'j', applicationId: '1', status: 'PENDING' }]);
  await sendMessages(sqs, queueUrl, ['{"jobId":"j","id":"1"}']);
  const handler = createSqsHandler(createDeclineHandler(createApplicationRepository({ client: dynamodb, tableName: 'applications', writeMode: 'batched' })));
  await runEventSourceMapping({ sqs, queueUrl, handler, waitTimeSeconds: 0 });
  const item = (await readApplications(dynamodb, 'applications')).get(applicationKey('j', '1'));
  if (item.jobApplicationStatus.S !== 'DECLINED') throw new Error('not declined');
  if (typeof createSqsConsumer !== 'function' || typeof processBatch !== 'function') throw new Error('exports');
  console.log('esm ok');
} finally {
  await aws.stop();
}
`,
    );
    expect(run(process.execPath, ['check.mjs'], project)).toContain('esm ok');
  }, 120_000);

  it('install the consumer CLI as a bin', () => {
    const help = run(join(project, 'node_modules', '.bin', 'batch-decline-consumer'), ['--help'], project);
    expect(help).toContain('QUEUE_URL');
  });

  it('ship only dist, bin and the package files', () => {
    for (const pkg of packages) {
      const files = JSON.parse(run('npm', ['pack', '--dry-run', '--json', join(root, 'packages', pkg)], project))[0].files.map((f: { path: string }) => f.path);
      expect(files.filter((path: string) => !/^(dist\/|bin\/|package\.json$|README\.md$|LICENSE$)/.test(path))).toEqual([]);
      expect(files).toContain('LICENSE');
    }
  });
});
