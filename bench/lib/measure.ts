import { constants } from "node:fs";
import { access, readFile, rm } from "node:fs/promises";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { execa } from "execa";
import { median as medianOf } from "./median.ts";

const GNU_TIME = "/usr/bin/time";

export interface Measurement {
  /** Wall time in seconds. */
  seconds: number;
  /** Peak resident set size in MB (10^6 bytes), when GNU time is there to tell. */
  peakRssMb: number | undefined;
  /** User + system CPU seconds, when GNU time is there to tell: less swayed by other load than wall time. */
  cpuSeconds: number | undefined;
}

export interface Command {
  file: string;
  args: readonly string[];
  cwd: string;
  env?: Record<string, string>;
}

/** Whether GNU time is installed: the only source of peak RSS here. */
export async function hasGnuTime(): Promise<boolean> {
  return access(GNU_TIME, constants.X_OK).then(
    () => true,
    () => false,
  );
}

/**
 * Runs a command once, measuring wall time, peak RSS and CPU time with GNU `time -f '%e %M %U %S'` (written to
 * a file, so the command's own stderr stays its own); without GNU time, wall time only.
 * A failing command throws with its stderr.
 */
export async function measure(command: Command, scratchDir: string, useGnuTime: boolean): Promise<Measurement> {
  const env = { ...process.env, ...command.env };
  if (!useGnuTime) {
    const start = performance.now();
    await execa(command.file, [...command.args], { cwd: command.cwd, env });
    return { seconds: (performance.now() - start) / 1000, peakRssMb: undefined, cpuSeconds: undefined };
  }
  const report = join(scratchDir, "time.txt");
  await execa(GNU_TIME, ["-f", "%e %M %U %S", "-o", report, command.file, ...command.args], { cwd: command.cwd, env });
  // GNU time's last line is the format; earlier lines may note a signal or exit status.
  const last = (await readFile(report, "utf8")).trim().split("\n").at(-1) ?? "";
  const [seconds, kilobytes, user, system] = last.split(/\s+/).map(Number);
  await rm(report, { force: true });
  if ([seconds, kilobytes, user, system].some((value) => value === undefined || Number.isNaN(value))) {
    throw new Error(`cannot read GNU time's report for ${command.file}: ${JSON.stringify(last)}`);
  }
  return { seconds: seconds ?? 0, peakRssMb: ((kilobytes ?? 0) * 1024) / 1e6, cpuSeconds: (user ?? 0) + (system ?? 0) };
}

/** The median of each figure over several measurements (RSS and CPU: of those that have one). */
export function median(measurements: readonly Measurement[]): Measurement {
  const known = (pick: (m: Measurement) => number | undefined): number[] =>
    measurements.flatMap((m) => {
      const value = pick(m);
      return value === undefined ? [] : [value];
    });
  return {
    seconds: medianOf(measurements.map((m) => m.seconds)) ?? Number.NaN,
    peakRssMb: medianOf(known((m) => m.peakRssMb)),
    cpuSeconds: medianOf(known((m) => m.cpuSeconds)),
  };
}
