import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { applicationKey, countRequests, readApplications, seedApplications } from '@batch-decline/testing';
import { describe, expect, it } from 'vitest';
import { createApplicationRepository, type DeclineOutcome } from './createApplicationRepository.js';
import { ApplicationNotFoundError, TransientError } from './errors.js';
import { defaultClassify } from './processBatch.js';
import { useLocalAws } from '@batch-decline/testing/vitest';

const modes = ['single', 'batched'] as const;

async function freshTable() {
  const aws = useLocalAws();
  const { tableName } = await aws.freshTable();
  return { client: aws.dynamodb, tableName };
}

async function settle(promise: Promise<DeclineOutcome>): Promise<DeclineOutcome | { error: string }> {
  try {
    return await promise;
  } catch (error) {
    return { error: (error as Error).name };
  }
}

describe.each(modes)('createApplicationRepository (%s mode) on DynamoDB Local', (writeMode) => {
  it('declines a pending application and stamps declinedAt', async () => {
    const { client, tableName } = await freshTable();
    await seedApplications(client, tableName, [{ jobId: 'j1', applicationId: 'a1', status: 'PENDING' }]);
    const repository = createApplicationRepository({ client, tableName, writeMode });
    const before = Date.now();
    await expect(repository.decline({ jobId: 'j1', applicationId: 'a1' })).resolves.toEqual({ outcome: 'declined' });
    const item = (await readApplications(client, tableName)).get(applicationKey('j1', 'a1'))!;
    expect(item.jobApplicationStatus).toEqual({ S: 'DECLINED' });
    const declinedAt = Date.parse(item.declinedAt!.S!);
    expect(item.declinedAt!.S).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    expect(declinedAt).toBeGreaterThanOrEqual(before - 1000);
  });

  it('reports already-declined on a second delivery and leaves the item as the first left it', async () => {
    const { client, tableName } = await freshTable();
    await seedApplications(client, tableName, [{ jobId: 'j1', applicationId: 'a1', status: 'PENDING' }]);
    const repository = createApplicationRepository({ client, tableName, writeMode });
    await repository.decline({ jobId: 'j1', applicationId: 'a1' });
    const first = (await readApplications(client, tableName)).get(applicationKey('j1', 'a1'));
    await expect(repository.decline({ jobId: 'j1', applicationId: 'a1' })).resolves.toEqual({ outcome: 'already-declined' });
    expect((await readApplications(client, tableName)).get(applicationKey('j1', 'a1'))).toEqual(first);
  });

  it('never overwrites an application that is no longer pending, and says its status', async () => {
    const { client, tableName } = await freshTable();
    await seedApplications(client, tableName, [
      { jobId: 'j1', applicationId: 'a1', status: 'ACCEPTED', attributes: { note: 'hired', updatedAt: '2026-01-01T00:00:00.000Z' } },
      { jobId: 'j1', applicationId: 'a2', status: 'WITHDRAWN' },
    ]);
    const before = await readApplications(client, tableName);
    const repository = createApplicationRepository({ client, tableName, writeMode });
    await expect(repository.decline({ jobId: 'j1', applicationId: 'a1' })).resolves.toEqual({ outcome: 'not-pending', status: 'ACCEPTED' });
    await expect(repository.decline({ jobId: 'j1', applicationId: 'a2' })).resolves.toEqual({ outcome: 'not-pending', status: 'WITHDRAWN' });
    const after = await readApplications(client, tableName);
    expect(JSON.stringify(after.get(applicationKey('j1', 'a1')))).toBe(JSON.stringify(before.get(applicationKey('j1', 'a1'))));
    expect(after).toEqual(before);
  });

  it('rejects a missing application with ApplicationNotFoundError (permanent) and creates nothing', async () => {
    const { client, tableName } = await freshTable();
    const repository = createApplicationRepository({ client, tableName, writeMode });
    const error = await repository.decline({ jobId: 'j9', applicationId: 'nope' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApplicationNotFoundError);
    expect(defaultClassify(error as Error)).toBe('permanent');
    expect((error as ApplicationNotFoundError).applicationId).toBe('nope');
    expect((await readApplications(client, tableName)).size).toBe(0);
  });

  it('honours a custom key, status attribute, statuses and no declinedAt', async () => {
    const { client, tableName } = await freshTable();
    await seedApplications(client, tableName, [{ jobId: 'j1', applicationId: 'a1', status: 'PENDING', attributes: { state: 'OPEN' } }]);
    const repository = createApplicationRepository({
      client,
      tableName,
      writeMode,
      key: ({ jobId, applicationId }) => ({ PK: applicationKey(jobId, applicationId), SK: applicationKey(jobId, applicationId) }),
      statusAttribute: 'state',
      from: 'OPEN',
      to: 'CLOSED',
      declinedAtAttribute: false,
    });
    await expect(repository.decline({ jobId: 'j1', applicationId: 'a1' })).resolves.toEqual({ outcome: 'declined' });
    const item = (await readApplications(client, tableName)).get(applicationKey('j1', 'a1'))!;
    expect(item.state).toEqual({ S: 'CLOSED' });
    expect(item.jobApplicationStatus).toEqual({ S: 'PENDING' });
    expect(item.declinedAt).toBeUndefined();
  });

  it('works through a DynamoDBDocumentClient', async () => {
    const { client, tableName } = await freshTable();
    await seedApplications(client, tableName, [{ jobId: 'j1', applicationId: 'a1', status: 'PENDING' }]);
    const repository = createApplicationRepository({ client: DynamoDBDocumentClient.from(client), tableName, writeMode });
    await expect(repository.decline({ jobId: 'j1', applicationId: 'a1' })).resolves.toEqual({ outcome: 'declined' });
  });

  it('declines the same application requested twice at once exactly once', async () => {
    const { client, tableName } = await freshTable();
    await seedApplications(client, tableName, [{ jobId: 'j1', applicationId: 'a1', status: 'PENDING' }]);
    const repository = createApplicationRepository({ client, tableName, writeMode });
    const outcomes = await Promise.all([1, 2, 3].map(() => repository.decline({ jobId: 'j1', applicationId: 'a1' })));
    expect(outcomes.map((o) => o.outcome).sort()).toEqual(['already-declined', 'already-declined', 'declined']);
  });

  it('classifies an unreachable endpoint as transient', async () => {
    const client = new DynamoDBClient({
      endpoint: 'http://127.0.0.1:9',
      region: 'us-east-1',
      credentials: { accessKeyId: 'x', secretAccessKey: 'y' },
      maxAttempts: 1,
    });
    const repository = createApplicationRepository({ client, tableName: 'applications', writeMode });
    const error = await repository.decline({ jobId: 'j1', applicationId: 'a1' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TransientError);
    expect((error as TransientError).code).toBe('ECONNREFUSED');
    expect(defaultClassify(error as Error)).toBe('transient');
  });

  it('translates a missing table into a transient error naming the service code', async () => {
    const { client } = await freshTable();
    const repository = createApplicationRepository({ client, tableName: 'no-such-table', writeMode });
    const error = await repository.decline({ jobId: 'j1', applicationId: 'a1' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TransientError);
    expect((error as TransientError).code).toMatch(/^ResourceNotFound/);
  });
});

describe('write modes side by side', () => {
  // 60 declines: pending, already declined, accepted, withdrawn and missing applications.
  const statuses = ['PENDING', 'DECLINED', 'ACCEPTED', 'WITHDRAWN', 'MISSING'] as const;
  const requests = Array.from({ length: 60 }, (_, index) => ({ jobId: `job-${index % 7}`, applicationId: `app-${index}` }));
  const statusOf = (index: number) => statuses[index % statuses.length]!;

  async function run(writeMode: 'single' | 'batched') {
    const { client, tableName } = await freshTable();
    await seedApplications(
      client,
      tableName,
      requests.flatMap((request, index) => (statusOf(index) === 'MISSING' ? [] : [{ ...request, status: statusOf(index) }])),
    );
    const counted = countRequests(client);
    const repository = createApplicationRepository({ client, tableName, writeMode });
    const outcomes = await Promise.all(requests.map((request) => settle(repository.decline(request))));
    const requestCount = counted.total;
    const items = await readApplications(client, tableName);
    // declinedAt differs between runs by its nature; everything else must be identical.
    const normalized = [...items.entries()].sort().map(([key, item]) => [key, { ...item, declinedAt: item.declinedAt ? 'set' : 'unset' }]);
    return { outcomes, normalized, requestCount, items };
  }

  it('gives identical outcomes and identical final table contents for a mixed batch of 60', async () => {
    const single = await run('single');
    const batched = await run('batched');
    expect(batched.outcomes).toEqual(single.outcomes);
    expect(batched.normalized).toEqual(single.normalized);
    const expected = requests.map((_, index) => {
      const status = statusOf(index);
      if (status === 'PENDING') return { outcome: 'declined' };
      if (status === 'DECLINED') return { outcome: 'already-declined' };
      if (status === 'MISSING') return { error: 'ApplicationNotFoundError' };
      return { outcome: 'not-pending', status };
    });
    expect(single.outcomes).toEqual(expected);
  });

  it('sends one request per decline in single mode and at most ceil(n/25) in batched mode', async () => {
    const single = await run('single');
    const batched = await run('batched');
    expect(single.requestCount).toBe(60);
    expect(batched.requestCount).toBeLessThanOrEqual(Math.ceil(60 / 25));
  });
});

describe('batched mode faults', () => {
  it('fails only the statements the service failed, as transient, and resolves the others', async () => {
    // DynamoDB Local never throttles a single statement, so this one fault is simulated.
    const client = {
      send: async () => ({
        Responses: [{}, { Error: { Code: 'ThrottlingError', Message: 'slow down' } }],
      }),
    } as unknown as DynamoDBClient;
    const repository = createApplicationRepository({ client, tableName: 'applications', writeMode: 'batched' });
    const [ok, throttled] = await Promise.all([
      settle(repository.decline({ jobId: 'j', applicationId: '1' })),
      repository.decline({ jobId: 'j', applicationId: '2' }).catch((e: unknown) => e),
    ]);
    expect(ok).toEqual({ outcome: 'declined' });
    expect(throttled).toBeInstanceOf(TransientError);
    expect((throttled as TransientError).code).toBe('ThrottlingError');
  });

  it('withdraws a decline whose signal aborts before it is sent', async () => {
    let calls = 0;
    const client = { send: async () => ((calls += 1), { Responses: [] }) } as unknown as DynamoDBClient;
    const repository = createApplicationRepository({ client, tableName: 'applications', writeMode: 'batched' });
    const controller = new AbortController();
    const pending = repository.decline({ jobId: 'j', applicationId: '1' }, { signal: controller.signal }).catch((e: unknown) => e);
    controller.abort();
    const error = await pending;
    expect(error).toBeInstanceOf(TransientError);
    expect((error as TransientError).code).toBe('Aborted');
    await new Promise((resolve) => setImmediate(resolve));
    expect(calls).toBe(0);
  });
});

describe('createApplicationRepository options', () => {
  it('rejects bad options with TypeErrors naming the option', () => {
    expect(() => createApplicationRepository({ tableName: '' })).toThrow(/options\.tableName .* got an empty string/);
    expect(() => createApplicationRepository({ tableName: 'apps', writeMode: 'fast' as never })).toThrow(/options\.writeMode/);
    expect(() => createApplicationRepository({ tableName: 'apps', maxBatchSize: 26 })).toThrow(/options\.maxBatchSize .* 1 to 25/);
    expect(() => createApplicationRepository({ tableName: 'apps', statusAttribute: 'a"b' })).toThrow(/options\.statusAttribute/);
    expect(() => createApplicationRepository({ tableName: 'apps', from: 'X', to: 'X' })).toThrow(/must differ/);
    expect(() => createApplicationRepository({ tableName: 'apps', client: {} as never })).toThrow(/options\.client/);
  });
});
