import type { SeedApplication } from '@batch-decline/testing';

/** The statuses seeded, with their shares. */
const STATUS_SHARES: readonly [string, number][] = [
  ['PENDING', 0.8],
  ['ACCEPTED', 0.08],
  ['WITHDRAWN', 0.06],
  ['DECLINED', 0.06],
];

/** A poison message: a body no valid request has, and what it should be rejected as. */
export interface Poison {
  readonly body: string;
  readonly expected: 'InvalidMessageError' | 'ApplicationNotFoundError';
}

export interface Board {
  readonly applications: readonly SeedApplication[];
  /** The jobs being closed: every application of theirs gets a decline message. */
  readonly closedJobs: ReadonlySet<string>;
  readonly poison: readonly Poison[];
}

/** A small deterministic PRNG (mulberry32), so every run seeds the same board. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A realistic board: `jobs` jobs, `count` applications, about half the jobs closing. */
export function createBoard(count: number, jobs: number): Board {
  const next = random(20261203);
  const applications: SeedApplication[] = [];
  for (let index = 0; index < count; index += 1) {
    const roll = next();
    let cumulative = 0;
    const status = STATUS_SHARES.find(([, share]) => (cumulative += share) > roll)?.[0] ?? 'PENDING';
    applications.push({
      jobId: `job-${String(index % jobs).padStart(4, '0')}`,
      applicationId: `app-${String(index).padStart(6, '0')}`,
      status,
      attributes: { appliedAt: new Date(Date.UTC(2026, 10, 1) + index * 60_000).toISOString() },
    });
  }
  const closedJobs = new Set<string>();
  for (let job = 0; job < jobs; job += 1) if (next() < 0.5) closedJobs.add(`job-${String(job).padStart(4, '0')}`);
  const poison: Poison[] = [
    { body: '{"jobId": "job-0001", "id": ', expected: 'InvalidMessageError' },
    { body: 'DECLINE job-0001 app-000001', expected: 'InvalidMessageError' },
    { body: '{"jobId": "job-0001#APPLICATION#app-000001", "id": "x"}', expected: 'InvalidMessageError' },
    { body: '{"jobId": "job-0002", "id": "app#000002"}', expected: 'InvalidMessageError' },
    { body: '{"jobId": "job-0003", "id": 3.5}', expected: 'InvalidMessageError' },
    { body: '{"jobId": "job-9999", "id": "app-999999"}', expected: 'ApplicationNotFoundError' },
    { body: '{"jobId": "job-0004", "id": "app-does-not-exist"}', expected: 'ApplicationNotFoundError' },
  ];
  return { applications, closedJobs, poison };
}
