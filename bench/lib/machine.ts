import { availableParallelism, cpus, loadavg, totalmem } from "node:os";
import { execa } from "execa";

export interface Machine {
  date: string;
  cpu: string;
  cores: number;
  memoryGb: number;
  node: string;
  python: string;
  docker: string;
  compose: string;
  /** Load average at the start: other work on the machine skews timings. */
  load: string;
}

/** First line a command prints, or `missing` when it fails. */
async function firstLine(command: string, args: string[], missing: string): Promise<string> {
  const result = await execa(command, args, { reject: false });
  return result.exitCode === 0 ? (result.stdout.trim().split("\n")[0] ?? missing) : missing;
}

export interface DescribeMachineOptions {
  /** Ask Docker and Compose for their versions (default true); a benchmark that runs no container says false. */
  docker?: boolean;
}

/** What the numbers were measured on. */
export async function describeMachine(options: DescribeMachineOptions = {}): Promise<Machine> {
  const askDocker = options.docker ?? true;
  const [python, docker, compose] = await Promise.all([
    firstLine("python3", ["--version"], "not found"),
    askDocker ? firstLine("docker", ["version", "--format", "{{.Server.Version}}"], "unavailable") : "not asked",
    askDocker ? firstLine("docker", ["compose", "version", "--short"], "unavailable") : "not asked",
  ]);
  return {
    date: new Date().toISOString().replace(/\.\d+Z$/, "Z"),
    cpu: cpus()[0]?.model.trim() ?? "unknown",
    cores: availableParallelism(),
    memoryGb: totalmem() / 2 ** 30,
    node: process.version,
    python: python.replace(/^Python /, ""),
    docker,
    compose,
    load: loadavg()
      .map((value) => value.toFixed(2))
      .join(" "),
  };
}
