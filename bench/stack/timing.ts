import { median as medianOf } from "../lib/median.ts";

/** Runs `work` and returns its result with the wall time it took, in seconds. */
export async function timed<T>(work: () => Promise<T>): Promise<{ seconds: number; value: T }> {
  const started = process.hrtime.bigint();
  const value = await work();
  return { seconds: Number(process.hrtime.bigint() - started) / 1e9, value };
}

export const seconds = (s: number) => `${s.toFixed(s < 10 ? 2 : 1)} s`;
export const ms = (v: number) => `${v.toFixed(v < 10 ? 1 : 0)} ms`;
export const megabytes = (bytes: number) => `${(bytes / 1e6).toFixed(1)} MB`;
export const percent = (fraction: number) => `${(fraction * 100).toFixed(1)}%`;

/** The median of a non-empty list. */
export function median(values: number[]): number {
  return medianOf(values) ?? Number.NaN;
}
