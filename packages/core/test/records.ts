import type { BatchRecord } from '../src/types.js';

/** `count` records with ids m0, m1, ... and empty bodies; `extra` adds fields per index. */
export function records(count: number, extra: (index: number) => Partial<BatchRecord> = () => ({})): BatchRecord[] {
  return Array.from({ length: count }, (_, index) => ({ id: `m${index}`, body: '', ...extra(index) }));
}

/** A decline message body as producers send it. */
export function declineBody(jobId: string | number, applicationId: string | number): string {
  return JSON.stringify({ jobId, id: applicationId });
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
