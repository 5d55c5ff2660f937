import { setTimeout as sleep } from "node:timers/promises";
import { execa } from "execa";

// One container seen from outside, whichever way it was started (a Compose
// service, an image a test built): what `docker inspect` says of it, when it
// stops, and what it wrote.

export interface ContainerInspect {
  Id: string;
  RestartCount: number;
  State: {
    Status: string;
    Running: boolean;
    ExitCode: number;
    StartedAt: string;
    FinishedAt: string;
    Health?: { Status: string };
  };
  Config: { User: string; Env: string[]; Image: string };
  HostConfig: { PortBindings: Record<string, { HostPort: string }[] | null> | null };
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
