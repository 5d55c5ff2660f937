import { availableParallelism, cpus, loadavg, totalmem } from "node:os";
import { execa } from "execa";

export type Machine = { cpu: string; cores: number; memoryGb: number; node: string; python: string; date: string; load: string };

/** What the numbers were measured on, including the load at the start (other work skews timings). */
export async function describeMachine(): Promise<Machine> {
  const python = await execa("python3", ["--version"], { reject: false });
  return {
    cpu: cpus()[0]?.model.trim() ?? "unknown",
    cores: availableParallelism(),
    memoryGb: totalmem() / 2 ** 30,
    node: process.version,
    python: python.exitCode === 0 ? python.stdout.trim().replace(/^Python /, "") : "not found",
    date: new Date().toISOString().replace(/\.\d+Z$/, "Z"),
    load: loadavg()
      .map((value) => value.toFixed(2))
      .join(" "),
  };
}
