import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { SQSClient } from '@aws-sdk/client-sqs';
import { expect } from 'vitest';
import { checkEndState, type Board, type EndState } from './board.js';

/** {@link checkEndState} as a test assertion. */
export async function expectEndState(
  dynamodb: DynamoDBClient,
  sqs: SQSClient,
  board: Board,
  options: { deadLetters: 'exactly-once' | 'at-least-once' },
): Promise<EndState> {
  const state = await checkEndState(dynamodb, sqs, board, options);
  expect(state.problems.slice(0, 20)).toEqual([]);
  return state;
}
