/**
 * Rounds half away from zero to `decimals` places, without the binary
 * surprises of `Math.round(x * 100) / 100` (1.005 rounds to 1.01, and
 * 15.000000000000002 rounds to 15).
 */
export function roundTo(value: number, decimals: number): number {
  if (!Number.isFinite(value)) return value;
  const factor = 10 ** decimals;
  const scaled = Number((Math.abs(value) * factor).toPrecision(15));
  const rounded = (Math.sign(value) * Math.round(scaled)) / factor;
  return rounded === 0 ? 0 : rounded; // no -0
}
