import { setTimeout as sleep } from "node:timers/promises";
import { execa } from "execa";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Sample } from "../support/load.js";
import { describeSample, loadPages, lostVisits } from "../support/load.js";
import { loadPage } from "../support/page.js";
import type { Stack } from "../support/stack.js";
import { compose, eventually, removeStack, startProxyStack } from "../support/stack.js";

// Behind the front door, 10 clients load the page while, one after the
// other, a webapp replica crashes (SIGKILL, restarted by its restart policy),
// an api replica crashes, and a webapp replica is stopped gracefully
// (`docker stop`, SIGTERM). nginx retries what a dead replica dropped on
// another one, so the clients see only 200s, and every visit answered is a
// row in the database.

const CLIENTS = 10;
/** Load before, between and after the faults, so each happens mid-traffic. */
const SETTLE_MS = 3_000;

/** A replica's container, by service and Compose's replica number. */
const replica = (stack: Stack, service: string, index: number) => `${stack.project}-${service}-${index}`;

async function inspect(name: string) {
  const { stdout } = await execa("docker", ["inspect", name]);
  return JSON.parse(stdout)[0] as {
    RestartCount: number;
    State: { Running: boolean; ExitCode: number; Health?: { Status: string } };
  };
}

/**
 * A crash: SIGKILL to the Node process inside the container (the child of
 * its init), so the restart policy brings it back. `docker kill` would not do:
 * Docker counts it as a stop by hand and leaves the container down.
 */
async function crash(stack: Stack, service: string, index: number): Promise<void> {
  const killNode = "kill -KILL $(cat /proc/1/task/1/children)";
  await compose(stack, ["exec", "-T", "--index", String(index), service, "sh", "-c", killNode]).catch(() => {});
  await eventually(async () => {
    const info = await inspect(replica(stack, service, index));
    expect(info.RestartCount).toBeGreaterThanOrEqual(1);
    expect(info.State.Health?.Status).toBe("healthy");
  }, 60_000);
}

describe("a replica crashing or stopping under load, behind the front door", () => {
  let stack: Stack | undefined;
  let samples: Sample[] = [];
  const faults: Record<string, { start: number; end: number }> = {};

  beforeAll(async () => {
    stack = await startProxyStack("replica-crash");
    expect((await loadPage(stack.webappUrl)).status).toBe(200);

    const timeline = async (until: { at: number }) => {
      const step = async (name: string, act: () => Promise<void>) => {
        await sleep(SETTLE_MS);
        const start = Date.now();
        await act();
        faults[name] = { start, end: Date.now() };
      };
      await step("webapp crash", () => crash(stack!, "webapp", 2));
      await step("api crash", () => crash(stack!, "api", 2));
      await step("webapp stop", async () => {
        await execa("docker", ["stop", replica(stack!, "webapp", 3)]);
      });
      until.at = Date.now() + SETTLE_MS;
    };

    // The clients run until the timeline has set its end (far off until then).
    const until = { at: Number.POSITIVE_INFINITY };
    const load = loadPages(new URL("/", stack.webappUrl).toString(), {
      clients: CLIENTS,
      get until() {
        return until.at;
      },
      notice: (status, body) =>
        status === 200 && body.includes("Could not reach the API") ? "api unreachable" : undefined,
    });
    await timeline(until);
    samples = await load;

    const times = (name: string) => `${name} ${faults[name]!.end - faults[name]!.start} ms`;
    console.info(
      `${samples.length} page loads by ${CLIENTS} clients: ` +
        `${samples.filter((s) => s.status === 200).length} x 200, ` +
        `${samples.filter((s) => s.status !== 200).length} other; ` +
        `${samples.filter((s) => s.notice).length} pages said the api was unreachable; ` +
        `slowest ${Math.max(...samples.map((s) => s.end - s.start))} ms; ` +
        `${Object.keys(faults).map(times).join(", ")}`,
    );
  });

  afterAll(async () => {
    await removeStack(stack);
  });

  it("answered every page load with 200, through a webapp crash, an api crash and a webapp stop", () => {
    expect(samples.length).toBeGreaterThan(CLIENTS * 10);
    expect(samples.filter((s) => s.status !== 200).map(describeSample)).toEqual([]);
  });

  it("really had the faults happen: the crashed replicas restarted, the stopped one exited cleanly", async () => {
    expect((await inspect(replica(stack!, "webapp", 2))).RestartCount).toBe(1);
    expect((await inspect(replica(stack!, "api", 2))).RestartCount).toBe(1);
    const stopped = await inspect(replica(stack!, "webapp", 3));
    expect(stopped.State.Running).toBe(false);
    expect([0, 143]).toContain(stopped.State.ExitCode);
    // And the load spanned them all: answers before the first fault and after the last.
    expect(samples.some((s) => s.end < faults["webapp crash"]!.start)).toBe(true);
    expect(samples.some((s) => s.start > faults["webapp stop"]!.end)).toBe(true);
  });

  it("had nginx retry on another replica: the proxy's log shows requests that tried two", async () => {
    const { stdout } = await compose(stack!, ["logs", "--no-log-prefix", "proxy"]);
    const retried = stdout.split("\n").filter((line) => /upstream=\S+, /.test(line));
    console.info(`${retried.length} requests retried by the proxy, e.g. ${retried[0] ?? "none"}`);
    expect(retried.length).toBeGreaterThan(0);
  });

  it("kept every visit it answered 200 for: each X-Visit-Id is a row in visits", async () => {
    const { answered, rows, lost } = await lostVisits(stack!, samples);
    console.info(`${answered} visits answered, ${rows} rows (a retry after a crash may add a row no one saw)`);
    expect(lost).toEqual([]);
  });
});
