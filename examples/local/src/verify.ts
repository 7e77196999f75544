import type { Message } from '@aws-sdk/client-sqs';
import { DEAD_LETTER_ATTRIBUTES, type DeclineOutcome } from '@batch-decline/core';
import { applicationKey, type QueueCounts, type StoredItem } from '@batch-decline/testing';
import type { Board } from './board.js';

export interface VerifyInput {
  readonly board: Board;
  readonly before: ReadonlyMap<string, StoredItem>;
  readonly after: ReadonlyMap<string, StoredItem>;
  readonly outcomes: ReadonlyMap<string, DeclineOutcome>;
  readonly deadLetters: readonly Message[];
  readonly queueCounts: QueueCounts;
}

/**
 * Checks the end state against the seeded board; returns what is wrong (nothing when all is well):
 * every targeted PENDING application is DECLINED with a declinedAt, every other item is exactly
 * as seeded, the outcome counts agree with the table, every poison message is in the
 * dead-letter queue once with the expected error, and the queue is empty.
 */
export function verify(input: VerifyInput): string[] {
  const { board, before, after, outcomes, deadLetters } = input;
  const problems: string[] = [];
  const expected = { declined: 0, 'already-declined': 0, notPending: new Map<string, number>() };
  for (const application of board.applications) {
    const key = applicationKey(application.jobId, application.applicationId);
    const old = before.get(key);
    const now = after.get(key);
    if (!now) {
      problems.push(`${key} disappeared`);
      continue;
    }
    const targeted = board.closedJobs.has(application.jobId);
    if (targeted && application.status === 'PENDING') {
      expected.declined += 1;
      if (now.jobApplicationStatus?.S !== 'DECLINED' || !now.declinedAt?.S) problems.push(`${key} was pending and targeted but is ${now.jobApplicationStatus?.S}`);
      const { jobApplicationStatus: _s, declinedAt: _d, ...rest } = now;
      const { jobApplicationStatus: _os, ...oldRest } = old ?? {};
      if (JSON.stringify(sorted(rest)) !== JSON.stringify(sorted(oldRest))) problems.push(`${key}: attributes other than the status changed`);
      continue;
    }
    if (targeted && application.status === 'DECLINED') expected['already-declined'] += 1;
    else if (targeted) expected.notPending.set(application.status, (expected.notPending.get(application.status) ?? 0) + 1);
    if (JSON.stringify(sorted(now)) !== JSON.stringify(sorted(old ?? {}))) problems.push(`${key} (${application.status}${targeted ? '' : ', not targeted'}) changed`);
  }
  if (after.size !== before.size) problems.push(`the table holds ${after.size} items, ${before.size} were seeded`);

  const counted = { declined: 0, 'already-declined': 0, notPending: new Map<string, number>() };
  for (const outcome of outcomes.values()) {
    if (outcome.outcome === 'not-pending') counted.notPending.set(outcome.status ?? 'none', (counted.notPending.get(outcome.status ?? 'none') ?? 0) + 1);
    else counted[outcome.outcome] += 1;
  }
  if (counted.declined !== expected.declined) problems.push(`${counted.declined} declined outcomes reported, ${expected.declined} expected`);
  if (counted['already-declined'] !== expected['already-declined']) {
    problems.push(`${counted['already-declined']} already-declined outcomes reported, ${expected['already-declined']} expected`);
  }
  for (const status of new Set([...expected.notPending.keys(), ...counted.notPending.keys()])) {
    if ((expected.notPending.get(status) ?? 0) !== (counted.notPending.get(status) ?? 0)) {
      problems.push(`${counted.notPending.get(status) ?? 0} applications left alone as ${status}, ${expected.notPending.get(status) ?? 0} expected`);
    }
  }

  const letters = deadLetters.map((message) => `${message.Body} -> ${message.MessageAttributes?.[DEAD_LETTER_ATTRIBUTES.errorName]?.StringValue}`).sort();
  const poison = board.poison.map((p) => `${p.body} -> ${p.expected}`).sort();
  if (JSON.stringify(letters) !== JSON.stringify(poison)) {
    problems.push(`the dead-letter queue holds ${deadLetters.length} messages; expected exactly the ${poison.length} poison messages with their errors`);
  }
  const { visible, inFlight, delayed } = input.queueCounts;
  if (visible + inFlight + delayed > 0) problems.push(`the queue still holds ${visible} visible, ${inFlight} in flight, ${delayed} delayed messages`);
  return problems;
}

function sorted(item: StoredItem): [string, unknown][] {
  return Object.entries(item).sort(([a], [b]) => a.localeCompare(b));
}
