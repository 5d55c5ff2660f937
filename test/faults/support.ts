import { setTimeout as sleep } from "node:timers/promises";
import { execa } from "execa";
import type { ContainerInspect } from "../support/stack.js";

export { sleep };

/** The slow-api override, relative to the repo root (for startStack's `files`). */
export const SLOW_API_FILE = "test/faults/fixtures/slow-api.yml";

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

/** A page's text with the tags taken out, for messages that span markup (`at <code>url</code>: error`). */
export const textOf = (html: string) => html.replace(/<[^>]+>/g, "");
