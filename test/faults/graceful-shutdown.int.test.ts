import { setTimeout as sleep } from "node:timers/promises";
import { execa } from "execa";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ContainerInspect, LogLine } from "../support/containers.js";
import { containerLogs, logLines, waitForExit } from "../support/containers.js";
import { loadPage, textOf } from "../support/page.js";
import type { Stack } from "../support/stack.js";
import { compose, inspectService, removeStack, startStack } from "../support/stack.js";

/** The api holds GET / this long: less than the webapp's 2 s API_TIMEOUT_MS, so the page waits for it. */
const API_DELAY_MS = 1_500;
/**
 * When SIGTERM goes out, counted from the page request's start: inside the api's delay, and late
 * enough that the rest of the request (about 0.4 s) fits in the shutdown's 0.7 s grace period.
 */
const SIGNAL_AFTER_MS = 1_100;
/** Both services promise to be gone within a second of SIGTERM. */
const EXIT_WITHIN_MS = 1_000;

/** Sends SIGTERM the way `docker stop` would, and returns when it was sent (before the CLI even ran). */
async function sigterm(containerId: string): Promise<number> {
  const sentAt = Date.now();
  await execa("docker", ["kill", "--signal", "TERM", containerId]);
  return sentAt;
}

/**
 * The two lines createShutdown logs, "shutting down" (naming SIGTERM) and then "stopped", each
 * exactly once. Their order is taken from pino's `time`, not from the order of the lines in
 * `docker logs`: pino writes stdout asynchronously and the process exits right after "stopped",
 * so two lines logged a millisecond apart sometimes reach Docker swapped (seen with an idle api).
 */
function shutdownLines(lines: LogLine[]) {
  const shuttingDown = lines.filter((line) => line.msg?.startsWith("shutting down"));
  const stopped = lines.filter((line) => line.msg === "stopped");
  expect(shuttingDown, "one 'shutting down' line").toHaveLength(1);
  expect(stopped, "one 'stopped' line").toHaveLength(1);
  expect(shuttingDown[0]!.signal).toBe("SIGTERM");
  expect(stopped[0]!.time).toBeGreaterThanOrEqual(shuttingDown[0]!.time!);
  return { shuttingDown: shuttingDown[0]!, stopped: stopped[0]! };
}

/** How long after `sentAt` Docker saw the container exit. */
const exitedAfterMs = (info: ContainerInspect, sentAt: number) => Date.parse(info.State.FinishedAt) - sentAt;

describe("SIGTERM in containers", () => {
  let stack: Stack | undefined;

  beforeAll(async () => {
    stack = await startStack({
      label: "shutdown",
      files: ["docker-compose.yml", "test/faults/fixtures/slow-api.yml"],
      env: { SLOW_API_DELAY_MS: String(API_DELAY_MS) },
    });
  });

  afterAll(async () => {
    await removeStack(stack);
  });

  it("the webapp finishes a request in flight (200, the api's answer), then exits 0 within 1 s", async () => {
    const webapp = await inspectService(stack!, "webapp");
    // One load first, so the pool is warm and the request below is an ordinary one.
    expect((await loadPage(stack!.webappUrl)).status).toBe(200);

    const requestStarted = Date.now();
    const inFlight = loadPage(stack!.webappUrl).then((page) => ({ ...page, endedAt: Date.now() }));
    await sleep(SIGNAL_AFTER_MS);
    const sentAt = await sigterm(webapp.Id);
    const page = await inFlight;

    // The request was still waiting for the api when the signal went out, and it was finished, not cut.
    expect(page.endedAt).toBeGreaterThan(sentAt);
    expect(page.endedAt - requestStarted).toBeGreaterThanOrEqual(API_DELAY_MS);
    expect(page.status).toBe(200);
    expect(textOf(page.html)).toContain("The API says: Hello from the slow API");

    const after = await waitForExit(webapp.Id, 5_000);
    console.info(
      `webapp: page answered ${page.endedAt - sentAt} ms and the container exited ${exitedAfterMs(after, sentAt)} ms after SIGTERM`,
    );
    expect(after.State.ExitCode).toBe(0);
    expect(exitedAfterMs(after, sentAt)).toBeLessThan(EXIT_WITHIN_MS);
    // It exited for good: `docker kill` is not something the restart policy undoes.
    expect(after.RestartCount).toBe(0);

    const lines = logLines(await containerLogs(webapp.Id));
    const { shuttingDown, stopped } = shutdownLines(lines);
    // Every request drained within the grace period; none had its connection cut.
    expect(stopped.requests).toBe("drained");
    // The page request was answered after the signal, and logged as a 200.
    const answeredAfterSignal = lines.filter(
      (line) => line.msg === "request completed" && line.time! >= shuttingDown.time! && line.time! <= stopped.time!,
    );
    expect(answeredAfterSignal.map((line) => (line.res as { statusCode?: number } | undefined)?.statusCode)).toEqual([
      200,
    ]);
  });

  it("the api, idle, exits 0 within 1 s and logs shutting down, then stopped", async () => {
    // Bring back the real api (without the slow override) in the same project.
    const real = { project: stack!.project, files: ["docker-compose.yml"], env: stack!.env };
    await compose(real, ["up", "--detach", "--wait", "--no-deps", "api"]);
    const api = await inspectService(real, "api");
    expect(api.State.Health?.Status).toBe("healthy");
    expect(logLines(await containerLogs(api.Id)).some((line) => line.msg?.startsWith("api listening on"))).toBe(true);

    const sentAt = await sigterm(api.Id);
    const after = await waitForExit(api.Id, 5_000);
    console.info(`api: the container exited ${exitedAfterMs(after, sentAt)} ms after SIGTERM`);
    expect(after.State.ExitCode).toBe(0);
    expect(exitedAfterMs(after, sentAt)).toBeLessThan(EXIT_WITHIN_MS);
    expect(after.RestartCount).toBe(0);

    const { stopped } = shutdownLines(logLines(await containerLogs(api.Id)));
    expect(stopped.requests).toBe("drained");
  });
});
