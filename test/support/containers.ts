import { setTimeout as sleep } from "node:timers/promises";
import { execa } from "execa";

// One container seen from outside, whichever way it was started (a Compose
// service, an image a test built): what `docker inspect` says of it, when it
// stops, and what it wrote.

export interface ContainerInspect {
  Id: string;
  /** "/" and the container's name, e.g. /stockroom-webapp-1 */
  Name: string;
  RestartCount: number;
  State: {
    Status: string;
    Running: boolean;
    ExitCode: number;
    StartedAt: string;
    FinishedAt: string;
    Health?: { Status: string };
    /** The kernel killed it for going over its memory limit (the last time it stopped). */
    OOMKilled: boolean;
  };
  Config: { User: string; Env: string[]; Image: string };
  HostConfig: {
    PortBindings: Record<string, { HostPort: string }[] | null> | null;
    /** The memory limit in bytes; 0 when it has none. */
    Memory: number;
    /** The log driver and its options, e.g. json-file with max-size and max-file. */
    LogConfig: { Type: string; Config: Record<string, string> };
  };
  NetworkSettings: { Ports: Record<string, { HostIp: string; HostPort: string }[] | null> | null };
  Mounts: { Type: string; Name?: string; Destination: string }[];
}

/** `docker inspect` of one container, by id or name. */
export async function inspectContainer(id: string): Promise<ContainerInspect> {
  const { stdout } = await execa("docker", ["inspect", id]);
  return JSON.parse(stdout)[0] as ContainerInspect;
}

/** Polls `docker inspect` until the container is no longer running; throws after `timeoutMs`. */
export async function waitForExit(id: string, timeoutMs = 10_000): Promise<ContainerInspect> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const info = await inspectContainer(id);
    if (!info.State.Running) return info;
    if (Date.now() > deadline) throw new Error(`container ${id} still running ${timeoutMs} ms later`);
    await sleep(50);
  }
}

const BYTES = { B: 1, KiB: 2 ** 10, MiB: 2 ** 20, GiB: 2 ** 30, TiB: 2 ** 40 } as const;

/** The memory the container uses now, in bytes, as `docker stats` counts it (page cache it can drop left out). */
export async function memoryInUse(id: string): Promise<number> {
  const { stdout } = await execa("docker", ["stats", "--no-stream", "--format", "{{.MemUsage}}", id]);
  // "74.9MiB / 192MiB": in use, then the limit.
  const [, amount, unit] = /^([\d.]+)\s*(B|KiB|MiB|GiB|TiB)\b/.exec(stdout.trim()) ?? [];
  if (!amount || !unit) throw new Error(`docker stats says ${JSON.stringify(stdout)} of ${id}, not a memory use`);
  return Number(amount) * BYTES[unit as keyof typeof BYTES];
}

/** Everything the container wrote, stdout and stderr. */
export async function containerLogs(id: string): Promise<string> {
  const { stdout, stderr } = await execa("docker", ["logs", id]);
  return `${stdout}\n${stderr}`;
}

/** A pino JSON log line (what both services write). */
export interface LogLine {
  level?: number;
  time?: number;
  msg?: string;
  [key: string]: unknown;
}

/** The JSON lines of a log, skipping anything that is not JSON. */
export function logLines(text: string): LogLine[] {
  return text
    .split("\n")
    .filter((line) => line.startsWith("{"))
    .flatMap((line) => {
      try {
        return [JSON.parse(line) as LogLine];
      } catch {
        return [];
      }
    });
}

/** Index of the first log line whose msg contains `text`, or -1. */
export const lineIndex = (lines: LogLine[], text: string) => lines.findIndex((line) => line.msg?.includes(text));
