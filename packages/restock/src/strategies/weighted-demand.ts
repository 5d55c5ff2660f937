/** How many of the most recent periods the weighted average looks at. */
export const WEIGHTED_WINDOW = 3;

/**
 * Weighted moving average of the last three entries of a sales history (oldest first),
 * with linear weights 1, 2, 3 from oldest to newest, so the latest period counts most:
 *
 *   [..., a, b, c] -> (1a + 2b + 3c) / 6
 *   [a, b]         -> (1a + 2b) / 3
 *   [a]            -> a
 *
 * Throws a RangeError for an empty history.
 */
export function weightedDemand(history: readonly number[]): number {
  if (history.length === 0) throw new RangeError("sales history must have at least one entry");
  const window = history.slice(-WEIGHTED_WINDOW);
  let weightedSum = 0;
  let weightTotal = 0;
  window.forEach((sales, position) => {
    const weight = position + 1;
    weightedSum += weight * sales;
    weightTotal += weight;
  });
  return weightedSum / weightTotal;
}
