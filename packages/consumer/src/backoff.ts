/**
 * Seconds a transiently failed message stays invisible: `base * 2^(receiveCount - 1)`,
 * capped at `max`, with "equal jitter" (half fixed, half random) so retries of a burst
 * spread out instead of arriving together.
 *
 * @param receiveCount - `ApproximateReceiveCount` of the delivery that failed (1 for the first).
 * @param baseSeconds - the first back-off.
 * @param maxSeconds - the cap (SQS allows up to 43200).
 * @param random - a source of numbers in [0, 1).
 * @returns whole seconds, at least 0.
 * @internal
 */
export function retryDelaySeconds(receiveCount: number, baseSeconds: number, maxSeconds: number, random: () => number = Math.random): number {
  const exponent = Math.max(0, Math.min(30, (Number.isFinite(receiveCount) ? receiveCount : 1) - 1));
  const ceiling = Math.min(maxSeconds, baseSeconds * 2 ** exponent);
  return Math.min(43_200, Math.ceil(ceiling / 2 + random() * (ceiling / 2)));
}
