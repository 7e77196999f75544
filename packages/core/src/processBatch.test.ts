import { describe, expect, it } from 'vitest';
import { InvalidMessageError, NonErrorThrownError, NotAttemptedError, PermanentError } from './errors.js';
import { processBatch } from './processBatch.js';
import { records, sleep } from '../test/records.js';

describe('processBatch', () => {
  it('reports one result per record in input order, whatever order they finish in', async () => {
    const batch = records(6);
    const report = await processBatch(batch, async (record) => {
      await sleep(60 - Number(record.id.slice(1)) * 10);
      return record.id.toUpperCase();
    });
    expect(report.results.map((result) => result.record.id)).toEqual(batch.map((record) => record.id));
    expect(report.results.map((result) => (result.status === 'succeeded' ? result.value : null))).toEqual([
      'M0',
      'M1',
      'M2',
      'M3',
      'M4',
      'M5',
    ]);
    expect(report.failedIds).toEqual([]);
  });

  it('never runs more than `concurrency` handlers at once, and reaches it', async () => {
    let running = 0;
    let maximum = 0;
    await processBatch(
      records(40),
      async () => {
        running += 1;
        maximum = Math.max(maximum, running);
        await sleep(5);
        running -= 1;
      },
      { concurrency: 4 },
    );
    expect(maximum).toBe(4);
  });

  it('defaults to 10 concurrent handlers', async () => {
    let running = 0;
    let maximum = 0;
    await processBatch(records(30), async () => {
      running += 1;
      maximum = Math.max(maximum, running);
      await sleep(5);
      running -= 1;
    });
    expect(maximum).toBe(10);
  });

  it('counts FIFO groups against the same concurrency limit', async () => {
    let running = 0;
    let maximum = 0;
    const batch = records(30, (index) => ({ groupId: `g${index % 10}` }));
    await processBatch(
      batch,
      async () => {
        running += 1;
        maximum = Math.max(maximum, running);
        await sleep(5);
        running -= 1;
      },
      { concurrency: 3 },
    );
    expect(maximum).toBe(3);
  });

  it('classifies PermanentError subclasses as permanent and everything else as transient', async () => {
    const report = await processBatch(records(3), (record) => {
      if (record.id === 'm0') throw new InvalidMessageError('id', 'is empty', '');
      if (record.id === 'm1') throw new Error('throttled');
      return 'ok';
    });
    expect(report.results.map((result) => (result.status === 'failed' ? result.kind : result.status))).toEqual([
      'permanent',
      'transient',
      'succeeded',
    ]);
    expect(report.failedIds).toEqual(['m0', 'm1']);
  });

  it('uses a custom classifier, and treats a classifier that throws as transient', async () => {
    const report = await processBatch(
      records(2),
      (record) => {
        throw new Error(record.id);
      },
      {
        classify: (error) => {
          if (error.message === 'm1') throw new Error('classifier bug');
          return 'permanent';
        },
      },
    );
    expect(report.results.map((result) => (result.status === 'failed' ? result.kind : null))).toEqual(['permanent', 'transient']);
  });

  it('wraps a non-Error throw in an Error', async () => {
    const report = await processBatch(records(2), (record) => {
      // eslint-disable-next-line @typescript-eslint/only-throw-error
      throw record.id === 'm0' ? 'a string' : { code: 42 };
    });
    for (const result of report.results) {
      expect(result.status).toBe('failed');
      if (result.status === 'failed') {
        expect(result.error).toBeInstanceOf(NonErrorThrownError);
        expect(result.kind).toBe('transient');
      }
    }
    const first = report.results[0];
    expect(first?.status === 'failed' && (first.error as NonErrorThrownError).thrown).toBe('a string');
  });

  it('accepts an empty batch', async () => {
    const report = await processBatch([], () => 'never');
    expect(report).toEqual({ results: [], failedIds: [] });
  });

  it('reports every record when every record fails', async () => {
    const report = await processBatch(records(25), async () => {
      throw new Error('down');
    });
    expect(report.results).toHaveLength(25);
    expect(report.failedIds).toHaveLength(25);
  });

  it('runs a FIFO group in order and groups in parallel', async () => {
    const log: string[] = [];
    const batch = records(9, (index) => ({ groupId: `g${index % 3}` }));
    let running = 0;
    let maximum = 0;
    await processBatch(batch, async (record) => {
      running += 1;
      maximum = Math.max(maximum, running);
      log.push(`start ${record.id}`);
      await sleep(10);
      log.push(`end ${record.id}`);
      running -= 1;
    });
    for (const group of [0, 1, 2]) {
      const members = batch.filter((record) => record.groupId === `g${group}`).map((record) => record.id);
      const events = log.filter((line) => members.includes(line.split(' ')[1]!));
      // Strictly sequential within the group: start a, end a, start b, end b, ...
      expect(events).toEqual(members.flatMap((id) => [`start ${id}`, `end ${id}`]));
    }
    expect(maximum).toBe(3);
  });

  it("marks a failed group's later records not-attempted and lets other groups continue", async () => {
    const batch = [
      { id: 'a1', body: '', groupId: 'a' },
      { id: 'b1', body: '', groupId: 'b' },
      { id: 'a2', body: '', groupId: 'a' },
      { id: 'b2', body: '', groupId: 'b' },
      { id: 'a3', body: '', groupId: 'a' },
      { id: 'x', body: '' },
    ];
    const started: string[] = [];
    const report = await processBatch(batch, (record) => {
      started.push(record.id);
      if (record.id === 'a2') throw new PermanentError('bad');
      return record.id;
    });
    expect(started.sort()).toEqual(['a1', 'a2', 'b1', 'b2', 'x']);
    const a3 = report.results[4]!;
    expect(a3.status).toBe('failed');
    if (a3.status === 'failed') {
      expect(a3.kind).toBe('not-attempted');
      expect(a3.error).toBeInstanceOf(NotAttemptedError);
      expect((a3.error as NotAttemptedError).reason).toBe('group-failed');
    }
    expect(report.failedIds).toEqual(['a2', 'a3']);
  });

  it('starts nothing after the deadline and aborts the running handlers at it', async () => {
    const started: string[] = [];
    let sawAbort = false;
    const report = await processBatch(
      records(6),
      async (record, { signal }) => {
        started.push(record.id);
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, 200);
          signal.addEventListener('abort', () => {
            sawAbort = true;
            clearTimeout(timer);
            resolve();
          });
        });
        if (signal.aborted) throw new Error('aborted');
        return record.id;
      },
      { concurrency: 2, deadline: Date.now() + 50 },
    );
    expect(started).toEqual(['m0', 'm1']);
    expect(sawAbort).toBe(true);
    expect(report.results.slice(2).map((result) => (result.status === 'failed' ? result.kind : null))).toEqual(
      Array(4).fill('not-attempted'),
    );
    expect(report.failedIds).toHaveLength(6);
  });

  it('starts nothing when the deadline has already passed', async () => {
    let calls = 0;
    const report = await processBatch(records(3), () => void calls++, { deadline: Date.now() - 1 });
    expect(calls).toBe(0);
    expect(report.results.every((result) => result.status === 'failed' && result.kind === 'not-attempted')).toBe(true);
  });

  it('stops starting records when the signal aborts and forwards it to running handlers', async () => {
    const controller = new AbortController();
    const seen: AbortSignal[] = [];
    const report = await processBatch(
      records(5),
      async (record, { signal }) => {
        seen.push(signal);
        if (record.id === 'm0') controller.abort(new Error('shutting down'));
        return record.id;
      },
      { concurrency: 1, signal: controller.signal },
    );
    expect(seen).toHaveLength(1);
    expect(seen[0]!.aborted).toBe(true);
    expect(report.results[0]!.status).toBe('succeeded');
    const reasons = report.results.slice(1).map((result) => (result.status === 'failed' ? (result.error as NotAttemptedError).reason : null));
    expect(reasons).toEqual(['aborted', 'aborted', 'aborted', 'aborted']);
  });

  it('lets every concurrent handler listen on its signal without a MaxListenersExceeded warning', async () => {
    const warnings: string[] = [];
    const onWarning = (warning: Error) => warnings.push(warning.name);
    process.on('warning', onWarning);
    try {
      await processBatch(
        records(60),
        async (_record, { signal }) => {
          const listener = () => undefined;
          signal.addEventListener('abort', listener);
          await sleep(5);
          signal.removeEventListener('abort', listener);
        },
        { concurrency: 50 },
      );
      await sleep(10);
    } finally {
      process.off('warning', onWarning);
    }
    expect(warnings).not.toContain('MaxListenersExceededWarning');
  });

  it('rejects malformed input with TypeErrors that say what was expected', async () => {
    await expect(processBatch('nope' as never, () => 1)).rejects.toThrow(/expected records to be an array, got a string/);
    await expect(processBatch([{ id: '', body: '' }], () => 1)).rejects.toThrow(/records\[0\]\.id to be a non-empty string/);
    await expect(processBatch([{ id: 'a', body: 1 } as never], () => 1)).rejects.toThrow(/records\[0\]\.body to be a string/);
    await expect(processBatch(records(1), 'x' as never)).rejects.toThrow(/handler to be a function/);
    await expect(processBatch(records(1), () => 1, { concurrency: 0 })).rejects.toThrow(/concurrency to be an integer >= 1, got the number 0/);
    await expect(processBatch([{ id: 'a', body: '' }, { id: 'a', body: '' }], () => 1)).rejects.toThrow(/appears more than once/);
  });
});
